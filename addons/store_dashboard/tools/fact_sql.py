"""The SQL that keeps the dashboard facts: one statement recomputes, from the raw orders and
members, every fact row of a *scope* (the buckets an order batch touches, or whole store-days)
and writes only the rows that differ.

A scope is three CTEs, each bucket with its UTC bounds (an index range on ``pos_order``):

- ``sales_scope(store_id, date, hour, utc_from, utc_to)``: an hour of a store (``hour`` NULL: the
  whole store-day);
- ``emp_scope(store_id, date, employee_id, utc_from, utc_to)``: an employee's day in a store
  (``employee_id`` NULL: every employee of the store-day);
- ``member_scope(store_id, month, partner_id, utc_from, utc_to)``: a member's month in a store
  (``partner_id`` NULL: every member of the store-month).

Every fact row inside the scope is recomputed from the orders inside it: inserted, updated when
a figure differs, deleted when no order (nor registration) is left in its bucket. Recomputing a
bucket from the raw orders makes the upkeep idempotent: a re-synced order, a refund, a late
order of the same hour all end exact. The statement returns the (store_id, date) of the rows it
changed (the reconcile reports them).

Dates and hours are the store's (``store.store.tz``, Asia/Shanghai when empty). Orders count when
paid (``paid``, ``done``).
"""

import functools
import hashlib

from odoo.tools import SQL

DEFAULT_TZ = "Asia/Shanghai"
TZ = SQL("COALESCE(st.tz, %s)", DEFAULT_TZ)
PAID_STATES = ("paid", "done")


def local(ts):
    """The store-local timestamp of the naive UTC timestamp ``ts`` (a store ``st`` in the query)."""
    return SQL("timezone(%s, timezone('UTC', %s))", TZ, ts)


def utc(local_ts):
    """The naive UTC timestamp of the store-local timestamp ``local_ts``."""
    return SQL("timezone('UTC', timezone(%s, %s))", TZ, local_ts)


def batch_scope(order_ids, partner_ids):
    """The buckets touched by the orders ``order_ids`` and the registrations of ``partner_ids``
    (and the months ``partner_ids`` have facts of)."""
    return SQL(
        """
        batch AS (
            SELECT o.store_id, o.employee_id, o.partner_id, %(o_local)s AS local_ts, st.tz
              FROM pos_order o JOIN store_store st ON st.id = o.store_id
             WHERE o.id = ANY(%(order_ids)s)
            UNION ALL
            SELECT p.register_store_id, p.register_employee_id, NULL, %(p_local)s, st.tz
              FROM res_partner p JOIN store_store st ON st.id = p.register_store_id
             WHERE p.id = ANY(%(partner_ids)s) AND p.member_consent_date IS NOT NULL
        ),
        sales_scope AS (
            SELECT b.store_id, b.date, b.hour, %(h_from)s AS utc_from,
                   %(h_from)s + interval '1 hour' AS utc_to
              FROM (SELECT DISTINCT store_id, tz, local_ts::date AS date,
                           extract(hour FROM local_ts)::int AS hour FROM batch) b
              JOIN store_store st ON st.id = b.store_id
        ),
        emp_scope AS (
            SELECT b.store_id, b.date, b.employee_id, %(d_from)s AS utc_from,
                   %(d_from)s + interval '1 day' AS utc_to
              FROM (SELECT DISTINCT store_id, employee_id, local_ts::date AS date
                      FROM batch WHERE employee_id IS NOT NULL) b
              JOIN store_store st ON st.id = b.store_id
        ),
        member_scope AS (
            SELECT b.store_id, b.month, b.partner_id, %(m_from)s AS utc_from,
                   %(m_to)s AS utc_to
              FROM (SELECT store_id, partner_id, date_trunc('month', local_ts)::date AS month
                      FROM batch WHERE partner_id IS NOT NULL
                    UNION  -- the months the members had (a merged duplicate keeps no order)
                    SELECT f.store_id, f.partner_id, f.month FROM store_member_month_fact f
                     WHERE f.partner_id = ANY(%(partner_ids)s)) b
              JOIN store_store st ON st.id = b.store_id
        )
        """,
        order_ids=order_ids,
        partner_ids=partner_ids,
        o_local=local(SQL("o.date_order")),
        p_local=local(SQL("p.member_consent_date")),
        h_from=utc(SQL("b.date + make_interval(hours => b.hour)")),
        d_from=utc(SQL("b.date::timestamp")),
        m_from=utc(SQL("b.month::timestamp")),
        m_to=utc(SQL("(b.month + interval '1 month')::timestamp")),
    )


def range_scope(store_ids, date_from, date_to):
    """Whole store-days from ``date_from`` to ``date_to`` (local dates) of ``store_ids`` (None:
    every store), and the whole store-months that contain them."""
    return SQL(
        """
        days AS (
            SELECT st.id AS store_id, d::date AS date
              FROM store_store st
             CROSS JOIN generate_series(%(date_from)s::date, %(date_to)s::date, interval '1 day') d
             WHERE %(all_stores)s OR st.id = ANY(%(store_ids)s)
        ),
        sales_scope AS (
            SELECT b.store_id, b.date, NULL::int AS hour, %(d_from)s AS utc_from,
                   %(d_from)s + interval '1 day' AS utc_to
              FROM days b JOIN store_store st ON st.id = b.store_id
        ),
        emp_scope AS (
            SELECT b.store_id, b.date, NULL::int AS employee_id, %(d_from)s AS utc_from,
                   %(d_from)s + interval '1 day' AS utc_to
              FROM days b JOIN store_store st ON st.id = b.store_id
        ),
        member_scope AS (
            SELECT b.store_id, b.month, NULL::int AS partner_id, %(m_from)s AS utc_from,
                   %(m_to)s AS utc_to
              FROM (SELECT DISTINCT store_id, date_trunc('month', date)::date AS month FROM days) b
              JOIN store_store st ON st.id = b.store_id
        )
        """,
        date_from=date_from,
        date_to=date_to,
        all_stores=store_ids is None,
        store_ids=list(store_ids or []),
        d_from=utc(SQL("b.date::timestamp")),
        m_from=utc(SQL("b.month::timestamp")),
        m_to=utc(SQL("(b.month + interval '1 month')::timestamp")),
    )


# What an order's lines say, per order. A return line gives goods back: a negative quantity or a
# line refunding a sold line (``refunded_orderline_id``); every other line is sold.
RETURN_LINE = "(l.qty < 0 OR l.refunded_orderline_id IS NOT NULL)"
LINE_FIGURES = f"""
    bool_or({RETURN_LINE}) AS return_line,
    bool_and({RETURN_LINE}) AS returns_only,
    COALESCE(SUM(l.price_subtotal_incl) FILTER (WHERE {RETURN_LINE}), 0) AS returned_incl,
    COALESCE(SUM(l.price_subtotal) FILTER (WHERE {RETURN_LINE}), 0) AS returned_excl,
    SUM(CASE WHEN NOT {RETURN_LINE} AND l.reward_id IS NULL AND NOT COALESCE(l.is_reward_line, FALSE)
                  AND l.combo_parent_id IS NULL AND l.price_unit >= 0
             THEN l.qty ELSE 0 END) AS items,
    SUM(CASE WHEN {RETURN_LINE} THEN 0
             WHEN l.discount > 0 AND l.discount < 100
             THEN l.price_subtotal_incl * l.discount / (100 - l.discount)
             WHEN l.discount >= 100 THEN l.price_unit * l.qty
             ELSE 0 END
        + CASE WHEN l.price_subtotal_incl < 0 AND NOT {RETURN_LINE}
                    AND COALESCE(pg.program_type, '') NOT IN ('ewallet', 'gift_card')
               THEN -l.price_subtotal_incl ELSE 0 END) AS discount
"""
LINE_JOINS = """
      FROM pos_order_line l
      LEFT JOIN loyalty_reward rw ON rw.id = l.reward_id
      LEFT JOIN loyalty_program pg ON pg.id = rw.program_id
"""


def lines_join(orders, lateral):
    """The join of the orders ``o`` to the figures ``l`` of their lines: per order (LATERAL, index
    lookups: a batch's few orders) or grouped over all the orders of the scope (one pass: the
    rebuild of whole days)."""
    if lateral:
        return SQL(
            "LEFT JOIN LATERAL (SELECT %s %s WHERE l.order_id = o.id) l ON TRUE",
            SQL(LINE_FIGURES),
            SQL(LINE_JOINS),
        )
    return SQL(
        "LEFT JOIN (SELECT l.order_id, %s %s WHERE l.order_id IN (SELECT id FROM %s) GROUP BY l.order_id) l"
        " ON l.order_id = o.id",
        SQL(LINE_FIGURES),
        SQL(LINE_JOINS),
        orders,
    )


def order_measures(prefix, scope, join, lateral):
    """CTEs ``<prefix>_orders`` (the paid orders of the buckets of ``scope``, ``join`` matching an
    order ``o`` to a bucket ``sc``) and ``<prefix>_m``: one row per order with its store-local
    time and measures.

    - the order is split by line: its return lines (``RETURN_LINE``) are its refunded part
      (``returned``, a positive amount, taxes included), the rest (its total minus the return
      lines) its sold part (``sale_total``, ``untaxed``). An exchange (return 50, buy 80, total
      30) is a sale of 80 and a refund of 50;
    - ``is_refund``: the order sold nothing: all its lines are return lines, or its sold part is
      negative (a negative total without return lines, e.g. stored value paid back); all of it is
      refunded (``returned`` = minus its total) and it is no sale;
    - ``has_return``: the order gave goods back (a refund, or a sale with a return line);
    - ``is_member``: the customer (a member once: a registration date) was a member at the sale:
      the order was settled as a member's (store_membership's ``store_member_state``, written at
      payment: the sign-up order of a customer registered at the till is a member order), or the
      customer had registered before the order's date (a member set on a paid order
      afterwards). What is true today (a member archived or merged since) does not rewrite the
      past;
    - ``items``: quantity of the sold goods lines (no reward, no negative price, no combo item);
    - ``discount``: what discounts took off, taxes included: a line discount of d %% took
      ``price_subtotal_incl * d / (100 - d)`` (a 100 %% discount: ``price_unit * qty``), and a
      negative line that refunds nothing (a reward, pos_discount's discount, a point redemption)
      took its amount; an eWallet or gift card line is a payment, not a discount;
    - ``promo``: the order counts for a promotion (store_promotions' ``store_promo_counted``),
      ``promo_discount`` what the server counted for its promotions.
    """
    orders, measures = (SQL.identifier(f"{prefix}_{n}") for n in ("orders", "m"))
    return SQL(
        """
        %(orders)s AS (
            SELECT o.id, o.store_id, o.partner_id, o.employee_id, o.amount_total,
                   o.amount_tax, o.store_promo_counted, o.store_member_state, o.date_order,
                   %(o_local)s AS local_ts
              FROM %(scope)s sc
              JOIN pos_order o ON %(join)s
                              AND o.date_order >= sc.utc_from AND o.date_order < sc.utc_to
              JOIN store_store st ON st.id = o.store_id
             WHERE o.state IN %(paid)s
        ),
        %(measures)s AS (
            SELECT o.id, o.store_id, o.partner_id, o.employee_id, o.local_ts,
                   r.is_refund,
                   COALESCE(l.return_line, FALSE) OR r.is_refund AS has_return,
                   EXISTS (SELECT 1 FROM res_partner rp
                            WHERE rp.id = o.partner_id AND rp.member_consent_date IS NOT NULL
                              AND (o.store_member_state IS DISTINCT FROM 'none'
                                   OR rp.member_consent_date <= o.date_order)) AS is_member,
                   o.amount_total AS total,
                   CASE WHEN r.is_refund THEN 0
                        ELSE o.amount_total - COALESCE(l.returned_incl, 0) END AS sale_total,
                   CASE WHEN r.is_refund THEN -o.amount_total
                        ELSE -COALESCE(l.returned_incl, 0) END AS returned,
                   CASE WHEN r.is_refund THEN 0
                        ELSE o.amount_total - COALESCE(o.amount_tax, 0) - COALESCE(l.returned_excl, 0)
                   END AS untaxed,
                   COALESCE(l.items, 0) AS items,
                   COALESCE(l.discount, 0) AS discount,
                   COALESCE(pc.amount, 0) AS promo_discount,
                   pc.amount IS NOT NULL AS promo
              FROM %(orders)s o
              %(lines_join)s
              CROSS JOIN LATERAL (
                   SELECT COALESCE(l.returns_only, FALSE)
                          OR o.amount_total - COALESCE(l.returned_incl, 0) < 0 AS is_refund
                   ) r
              LEFT JOIN LATERAL (
                   SELECT SUM(c.value::numeric) AS amount
                     FROM jsonb_each_text(CASE WHEN jsonb_typeof(o.store_promo_counted) = 'object'
                                               THEN o.store_promo_counted END) c
                   ) pc ON TRUE
        )
        """,
        orders=orders,
        measures=measures,
        lines_join=lines_join(orders, lateral),
        scope=SQL.identifier(scope),
        join=join,
        o_local=local(SQL("o.date_order")),
        paid=PAID_STATES,
    )


def write_facts(table, keys, columns, rows, scope, scope_join, uid):
    """CTEs writing ``table`` from the CTE ``rows`` (``keys`` + ``columns``): rows of the scope
    (the CTE ``scope``, ``scope_join`` matching a fact ``f`` to a bucket ``sc``: an index range
    of the fact table) that ``rows`` no longer has are deleted, the others
    inserted or updated when a figure differs. ``<table>_changed(store_id, date)``: what changed.
    Region, company and currency come from the store."""
    table_id = SQL.identifier(table)
    changed = SQL.identifier(f"{table}_changed")
    deleted, upserted = SQL.identifier(f"{table}_del"), SQL.identifier(f"{table}_ups")
    key_cols = SQL(", ").join(SQL.identifier(k) for k in keys)
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    date_col = "month" if "month" in keys else "date"
    return SQL(
        """
        %(deleted)s AS (
            DELETE FROM %(table)s f USING %(scope)s sc
             WHERE %(scope_join)s
               AND NOT EXISTS (SELECT 1 FROM %(rows)s r WHERE %(same_key)s)
            RETURNING f.store_id, f.%(date_col)s AS date
        ),
        %(upserted)s AS (
            INSERT INTO %(table)s (%(key_cols)s, %(cols)s, region_id, company_id, currency_id,
                                   create_uid, write_uid, create_date, write_date)
            SELECT %(r_keys)s, %(r_cols)s, st.region_id, st.company_id, c.currency_id,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM %(rows)s r
              JOIN store_store st ON st.id = r.store_id
              JOIN res_company c ON c.id = st.company_id
            ON CONFLICT (%(key_cols)s) DO UPDATE
               SET %(set_cols)s, region_id = EXCLUDED.region_id, company_id = EXCLUDED.company_id,
                   currency_id = EXCLUDED.currency_id, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date
             WHERE (%(old_cols)s) IS DISTINCT FROM (%(new_cols)s)
            RETURNING store_id, %(date_col)s AS date
        ),
        %(changed)s AS (
            SELECT store_id, date FROM %(deleted)s UNION SELECT store_id, date FROM %(upserted)s
        )
        """,
        table=table_id,
        deleted=deleted,
        upserted=upserted,
        changed=changed,
        scope=SQL.identifier(scope),
        scope_join=scope_join,
        rows=SQL.identifier(rows),
        same_key=SQL(" AND ").join(SQL("r.%s = f.%s", SQL.identifier(k), SQL.identifier(k)) for k in keys),
        date_col=SQL.identifier(date_col),
        key_cols=key_cols,
        cols=cols,
        r_keys=SQL(", ").join(SQL("r.%s", SQL.identifier(k)) for k in keys),
        r_cols=SQL(", ").join(SQL("r.%s", SQL.identifier(c)) for c in columns),
        uid=uid,
        set_cols=SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c)) for c in columns
        ),
        old_cols=SQL(", ").join(SQL("%s.%s", table_id, SQL.identifier(c)) for c in columns),
        new_cols=SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(c)) for c in columns),
    )


SALES_COLUMNS = [
    "weekday",
    "order_count",
    "refund_count",
    "revenue",
    "refund_amount",
    "untaxed_revenue",
    "discount_amount",
    "item_qty",
    "member_order_count",
    "non_member_order_count",
    "new_member_count",
    "promo_order_count",
    "promo_discount",
]
MEMBER_COLUMNS = ["order_count", "spend"]
EMPLOYEE_COLUMNS = ["order_count", "non_member_order_count", "new_member_count"]


def sales_facts(uid, lateral):
    """CTEs recomputing ``store_sales_fact`` over ``sales_scope``."""
    return SQL(
        """
        %(measures)s,
        sales_regs AS (
            SELECT p.register_store_id AS store_id, %(p_local)s AS local_ts
              FROM sales_scope sc
              JOIN res_partner p ON p.register_store_id = sc.store_id
                                AND p.member_consent_date >= sc.utc_from
                                AND p.member_consent_date < sc.utc_to
              JOIN store_store st ON st.id = p.register_store_id
        ),
        sales_rows AS (
            SELECT store_id, local_ts::date AS date, extract(hour FROM local_ts)::int AS hour,
                   (extract(isodow FROM local_ts)::int - 1)::varchar AS weekday,
                   COUNT(*) FILTER (WHERE NOT is_refund)::int AS order_count,
                   COUNT(*) FILTER (WHERE has_return)::int AS refund_count,
                   COALESCE(SUM(sale_total) FILTER (WHERE NOT is_refund), 0) AS revenue,
                   COALESCE(SUM(returned), 0) AS refund_amount,
                   COALESCE(SUM(untaxed) FILTER (WHERE NOT is_refund), 0) AS untaxed_revenue,
                   COALESCE(SUM(discount) FILTER (WHERE NOT is_refund), 0) AS discount_amount,
                   COALESCE(SUM(items) FILTER (WHERE NOT is_refund), 0) AS item_qty,
                   COUNT(*) FILTER (WHERE NOT is_refund AND is_member)::int AS member_order_count,
                   COUNT(*) FILTER (WHERE NOT is_refund AND NOT is_member)::int
                       AS non_member_order_count,
                   COUNT(*) FILTER (WHERE is_new)::int AS new_member_count,
                   COUNT(*) FILTER (WHERE NOT is_refund AND promo)::int AS promo_order_count,
                   COALESCE(SUM(promo_discount) FILTER (WHERE NOT is_refund), 0) AS promo_discount
              FROM (SELECT store_id, local_ts, is_refund, has_return, is_member, sale_total, returned,
                           untaxed, discount, items, promo, promo_discount, FALSE AS is_new
                      FROM sales_m
                    UNION ALL
                    SELECT store_id, local_ts, NULL, FALSE, NULL, 0, 0, 0, 0, 0, FALSE, 0, TRUE
                      FROM sales_regs) u
             GROUP BY 1, 2, 3, 4
        ),
        %(write)s
        """,
        measures=order_measures("sales", "sales_scope", SQL("o.store_id = sc.store_id"), lateral),
        p_local=local(SQL("p.member_consent_date")),
        write=write_facts(
            "store_sales_fact",
            ["store_id", "date", "hour"],
            SALES_COLUMNS,
            "sales_rows",
            "sales_scope",
            SQL("f.store_id = sc.store_id AND f.date = sc.date AND (sc.hour IS NULL OR f.hour = sc.hour)"),
            uid,
        ),
    )


def employee_facts(uid, lateral):
    """CTEs recomputing ``store_employee_day_fact`` over ``emp_scope``: the order's employee
    (pos_hr's cashier); orders without one are not in these facts."""
    return SQL(
        """
        %(measures)s,
        emp_regs AS (
            SELECT p.register_store_id AS store_id, p.register_employee_id AS employee_id,
                   %(p_local)s AS local_ts
              FROM emp_scope sc
              JOIN res_partner p ON p.register_store_id = sc.store_id
                                AND p.member_consent_date >= sc.utc_from
                                AND p.member_consent_date < sc.utc_to
                                AND (sc.employee_id IS NULL OR p.register_employee_id = sc.employee_id)
              JOIN store_store st ON st.id = p.register_store_id
             WHERE p.register_employee_id IS NOT NULL
        ),
        emp_rows AS (
            SELECT store_id, employee_id, local_ts::date AS date,
                   COUNT(*) FILTER (WHERE NOT is_new AND NOT is_refund)::int AS order_count,
                   COUNT(*) FILTER (WHERE NOT is_new AND NOT is_refund AND NOT is_member)::int
                       AS non_member_order_count,
                   COUNT(*) FILTER (WHERE is_new)::int AS new_member_count
              FROM (SELECT store_id, employee_id, local_ts, is_refund, is_member, FALSE AS is_new
                      FROM emp_m WHERE employee_id IS NOT NULL
                    UNION ALL
                    SELECT store_id, employee_id, local_ts, NULL, NULL, TRUE FROM emp_regs) u
             GROUP BY 1, 2, 3
        ),
        %(write)s
        """,
        measures=order_measures(
            "emp",
            "emp_scope",
            SQL("o.store_id = sc.store_id AND (sc.employee_id IS NULL OR o.employee_id = sc.employee_id)"),
            lateral,
        ),
        p_local=local(SQL("p.member_consent_date")),
        write=write_facts(
            "store_employee_day_fact",
            ["store_id", "employee_id", "date"],
            EMPLOYEE_COLUMNS,
            "emp_rows",
            "emp_scope",
            SQL(
                "f.store_id = sc.store_id AND f.date = sc.date"
                " AND (sc.employee_id IS NULL OR f.employee_id = sc.employee_id)"
            ),
            uid,
        ),
    )


def member_facts(uid, lateral):
    """CTEs recomputing ``store_member_month_fact`` over ``member_scope``: the order's customer
    when a member; visits are its sales, spend its sales minus its refunds."""
    return SQL(
        """
        %(measures)s,
        member_rows AS (
            SELECT partner_id, store_id, date_trunc('month', local_ts)::date AS month,
                   COUNT(*) FILTER (WHERE NOT is_refund)::int AS order_count,
                   SUM(total) AS spend
              FROM member_m
             WHERE is_member
             GROUP BY 1, 2, 3
        ),
        %(write)s
        """,
        measures=order_measures(
            "member",
            "member_scope",
            SQL(
                "o.store_id = sc.store_id AND o.partner_id IS NOT NULL"
                " AND (sc.partner_id IS NULL OR o.partner_id = sc.partner_id)"
            ),
            lateral,
        ),
        write=write_facts(
            "store_member_month_fact",
            ["partner_id", "store_id", "month"],
            MEMBER_COLUMNS,
            "member_rows",
            "member_scope",
            SQL(
                "f.store_id = sc.store_id AND f.month = sc.month"
                " AND (sc.partner_id IS NULL OR f.partner_id = sc.partner_id)"
            ),
            uid,
        ),
    )


def refresh(scope, uid, lateral=False):
    """One statement: the three facts recomputed over ``scope``; returns (store_id, date) rows of
    what changed (a member month row reports the month's first day)."""
    return SQL(
        """
        WITH %(scope)s, %(sales)s, %(emp)s, %(member)s
        SELECT store_id, date FROM store_sales_fact_changed
        UNION SELECT store_id, date FROM store_employee_day_fact_changed
        UNION SELECT store_id, date FROM store_member_month_fact_changed
        """,
        scope=scope,
        sales=sales_facts(uid, lateral),
        emp=employee_facts(uid, lateral),
        member=member_facts(uid, lateral),
    )


# JIT compiling these statements costs seconds (their estimates are far above jit_above_cost) and
# saves nothing: off for the rest of the transaction (same round trip).
NO_JIT = "SET LOCAL jit = off;"
# The upkeep of an order batch runs in a PL/pgSQL function: its statement is planned once per
# connection (a cached generic plan: planning it costs more, ~10 ms, than running it for a few
# orders), with index lookups only (seq scans and hash or merge joins off for the function's own
# statement, whatever the table statistics say: a batch is a handful of orders), without JIT. The
# settings hold inside the function only. Its name carries a hash of its SQL: code that changes the
# statement calls a function of another name, created when missing (``ensure_batch_function``, at
# every registry load: new code without ``-u`` never runs an old statement), the older versions
# dropped at install/update (a worker still running older code may call one until then) and at
# uninstall.
BATCH_FUNCTION_PREFIX = "store_dashboard_refresh_batch"


def _batch_function_sql():
    """The CREATE statement of the batch function (its name: ``%s`` to fill) and its name."""
    query = refresh(batch_scope(SQL("$1"), SQL("$2")), SQL("$3"), lateral=True)
    digest = hashlib.sha1(f"{query.code}\n{query.params!r}".encode()).hexdigest()[:12]
    return query, f"{BATCH_FUNCTION_PREFIX}_{digest}"


@functools.cache
def batch_function_name():
    """The name of the batch function of this code (a hash of its SQL), computed once."""
    return _batch_function_sql()[1]


def ensure_batch_function(cr, drop_others=False):
    """Create the batch function of this code if it is missing (one catalog lookup when it is
    there); ``drop_others``: drop every other version. True when it was created."""
    name = batch_function_name()
    cr.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [name])
    created = False
    if not cr.fetchone():
        # Two workers loading the registry at once: the second waits, then finds it.
        cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [BATCH_FUNCTION_PREFIX])
        cr.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [name])
        if not cr.fetchone():
            create_batch_function(cr)
            created = True
    if drop_others:
        drop_batch_functions(cr, keep=name)
    return created


def drop_batch_functions(cr, keep=None):
    """Drop every version of the batch function but ``keep``."""
    cr.execute(
        """SELECT p.oid::regprocedure::text FROM pg_proc p
            WHERE p.proname LIKE %s AND p.proname IS DISTINCT FROM %s""",
        [BATCH_FUNCTION_PREFIX.replace("_", "\\_") + "%", keep],
    )
    for (signature,) in cr.fetchall():
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s", SQL(signature)))


def create_batch_function(cr):
    """Create the batch upkeep function of this code (``batch_function_name``)."""
    query, name = _batch_function_sql()
    # psycopg2 binds the statement's parameters client-side: they land in the body as literals.
    cr.execute(
        SQL(
            """
            CREATE OR REPLACE FUNCTION %s(int[], int[], int)
            RETURNS TABLE (store_id int, date date)
            LANGUAGE plpgsql
            SET jit = off
            SET plan_cache_mode = force_generic_plan
            SET enable_seqscan = off
            SET enable_hashjoin = off
            SET enable_mergejoin = off
            AS $fn$
            #variable_conflict use_column
            BEGIN
                RETURN QUERY %s;
            END
            $fn$
            """,
            SQL.identifier(name),
            query,
        )
    )


def execute_range(cr, store_ids, date_from, date_to, uid):
    """Recompute the store-days of the range (see ``range_scope``); the changed (store_id, date)."""
    query = refresh(range_scope(store_ids, date_from, date_to), uid)
    cr.execute(SQL("%s %s", SQL(NO_JIT), query))
    return set(cr.fetchall())


def execute_batch(cr, order_ids, partner_ids, uid):
    """Recompute the buckets of these orders and registrations (see ``batch_scope``) with the
    function ``create_batch_function`` made; the changed (store_id, date)."""
    cr.execute(
        SQL(
            "SELECT * FROM %s(%s::int[], %s::int[], %s)",
            SQL.identifier(batch_function_name()),
            list(order_ids),
            list(partner_ids),
            uid,
        )
    )
    return set(cr.fetchall())
