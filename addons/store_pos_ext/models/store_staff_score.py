from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

# Metrics of the score: (column, weight field on res.company). Each one is divided by the best
# value of the store in the month, so it lies in 0..1 before weighting.
SCORE_METRICS = [
    ("pos_sales", "score_weight_sales"),
    ("order_count", "score_weight_orders"),
    ("member_signups", "score_weight_signups"),
    ("checklist_completion_rate", "score_weight_checklist"),
    ("checklist_ontime_rate", "score_weight_ontime"),
]
PENALTY_METRIC = ("rejected_photos", "score_weight_photos")


class StoreStaffScore(models.Model):
    """Monthly scorecard of an employee in a store, computed by ``_compute_month`` (SQL).

    Rows are never typed in: ``_compute_month`` inserts or replaces every row of a month at once,
    then ``_check_training_alerts`` flags the employees who stayed at the bottom of their store
    (or region) for the configured number of months and schedules a training activity for their
    manager.
    """

    _name = "store.staff.score"
    _description = "Staff Performance"
    _inherit = ["store.scoped.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "month desc, store_id, rank_store, id"
    # store managers only read scorecards; they must still be able to close the training activity
    _mail_post_access = "read"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade", readonly=True)
    month = fields.Date(required=True, index=True, readonly=True, help="First day of the month.")
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    pos_sales = fields.Monetary(
        "POS Sales",
        readonly=True,
        help="Amount without taxes of the POS order lines credited to the employee: the lines "
        "where they are the salesperson, else the orders where they are the cashier.",
    )
    order_count = fields.Integer("Orders", readonly=True, help="POS orders rung up by the employee.")
    avg_ticket = fields.Monetary(
        "Average Ticket",
        readonly=True,
        aggregator="avg",
        help="Average amount without taxes of the orders rung up by the employee.",
    )
    member_signups = fields.Integer("Member Sign-ups", readonly=True)
    checklist_completion_rate = fields.Float("Checklist Completion (%)", readonly=True, aggregator="avg")
    checklist_ontime_rate = fields.Float("Checklist On Time (%)", readonly=True, aggregator="avg")
    rejected_photos = fields.Integer(readonly=True)
    score = fields.Float(readonly=True, digits=(5, 2), aggregator="avg", help="0 to 100, see Settings.")
    rank_store = fields.Integer("Rank in Store", readonly=True, aggregator="min")
    rank_region = fields.Integer("Rank in Region", readonly=True, aggregator="min")
    training_alert = fields.Boolean(
        readonly=True,
        help="At the bottom of the ranking for the configured number of consecutive months: "
        "a training activity was scheduled for the employee's manager.",
    )

    _employee_month_store_uniq = models.UniqueIndex(
        "(employee_id, month, store_id)", "An employee has one scorecard per store and month."
    )

    @api.depends("employee_id", "month")
    def _compute_display_name(self):
        for score in self:
            month = score.month.strftime("%Y-%m") if score.month else ""
            score.display_name = f"{score.employee_id.name or ''} {month}".strip()

    # ------------------------------------------------------------------ computation
    @api.model
    def _month_start(self, month):
        month = fields.Date.to_date(month)
        return month.replace(day=1)

    @api.model
    def _store_companies(self):
        """The companies that have stores (every one of them is computed by the cron)."""
        groups = (
            self.env["store.store"].sudo().with_context(active_test=False)._read_group([], ["company_id"])
        )
        return self.env["res.company"].union(*(company for (company,) in groups))

    @api.model
    def _compute_month(self, month, companies=None):
        """Compute (or recompute) every scorecard of ``month`` for ``companies`` (default: all).

        A fixed number of queries whatever the number of orders: one upsert aggregating the
        month's sales and orders, one update for the metrics of other addons (hooks), one update
        of scores and ranks. Recomputing a month replaces its figures in place.
        """
        month_start = self._month_start(month)
        month_end = month_start + relativedelta(months=1)
        companies = self._store_companies() if companies is None else companies
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(self._upsert_query(month_start, month_end, companies))
        rows = cr.fetchall()
        score_ids = [score_id for score_id, _employee_id in rows]
        self.invalidate_model()
        stale = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("month", "=", month_start),
                    ("company_id", "in", companies.ids),
                    ("id", "not in", score_ids),
                ]
            )
        )
        stale.unlink()
        employees = self.env["hr.employee"].browse(sorted({employee_id for _id, employee_id in rows}))
        self._apply_hook_metrics(month_start, month_end, employees, companies)
        cr.execute(self._score_query(month_start, companies))
        self.invalidate_model()
        return self.browse(score_ids)

    @api.model
    def _month_orders_query(self, month_start, month_end, companies):
        """The month's paid POS orders of the companies' stores (in each store's timezone), with
        the employee who rang them up: the POS cashier, else the employee of the order's user."""
        local_date = SQL("timezone(COALESCE(st.tz, 'UTC'), timezone('UTC', o.date_order))")
        return SQL(
            """
            SELECT o.id, o.store_id, o.is_refund,
                   COALESCE(NULLIF(o.currency_rate, 0), 1.0) AS rate,
                   o.amount_total - o.amount_tax AS amount_untaxed,
                   COALESCE(o.employee_id, ue.id) AS employee_id
              FROM pos_order o
              JOIN store_store st ON st.id = o.store_id
              LEFT JOIN hr_employee ue
                     ON o.employee_id IS NULL AND ue.user_id = o.user_id AND ue.company_id = o.company_id
             WHERE o.state IN ('paid', 'done')
               AND st.company_id = ANY(%(companies)s)
               AND o.date_order >= %(utc_from)s AND o.date_order < %(utc_to)s
               AND %(local_date)s >= %(month_start)s AND %(local_date)s < %(month_end)s
            """,
            companies=companies.ids,
            # a day of margin either side covers every timezone; the exact bounds are local
            utc_from=datetime.combine(month_start - timedelta(days=1), datetime.min.time()),
            utc_to=datetime.combine(month_end + timedelta(days=1), datetime.min.time()),
            local_date=local_date,
            month_start=datetime.combine(month_start, datetime.min.time()),
            month_end=datetime.combine(month_end, datetime.min.time()),
        )

    @api.model
    def _sales_query(self):
        """Sales per (employee, store) over ``month_orders``: each line is credited to its
        salesperson, else to the order's employee. Amounts without taxes, company currency."""
        return SQL(
            """
            SELECT COALESCE(l.salesperson_id, o.employee_id) AS employee_id, o.store_id,
                   SUM(l.price_subtotal / o.rate) AS amount
              FROM month_orders o
              JOIN pos_order_line l ON l.order_id = o.id
             WHERE COALESCE(l.salesperson_id, o.employee_id) IS NOT NULL
             GROUP BY 1, 2
            """
        )

    @api.model
    def _tickets_query(self):
        """Orders per (employee, store) over ``month_orders``: refunds are not tickets."""
        return SQL(
            """
            SELECT o.employee_id, o.store_id,
                   COUNT(*) AS order_count,
                   SUM(o.amount_untaxed / o.rate) AS amount
              FROM month_orders o
             WHERE o.employee_id IS NOT NULL AND NOT COALESCE(o.is_refund, FALSE)
             GROUP BY 1, 2
            """
        )

    @api.model
    def _upsert_query(self, month_start, month_end, companies):
        """Insert or replace the month's rows: every (employee, store) with sales or orders, and
        every active employee of an active store (so that staff who sold nothing rank last).
        Metrics of the hooks and scores are reset here and filled by the next queries."""
        return SQL(
            """
            WITH month_orders AS (%(orders)s),
                 sales AS (%(sales)s),
                 tickets AS (%(tickets)s),
                 staff AS (
                    SELECT e.id AS employee_id, e.store_id
                      FROM hr_employee e
                      JOIN store_store st ON st.id = e.store_id
                     WHERE e.active AND st.active AND st.company_id = ANY(%(companies)s)
                 ),
                 pairs AS (
                    SELECT employee_id, store_id FROM sales
                     UNION SELECT employee_id, store_id FROM tickets
                     UNION SELECT employee_id, store_id FROM staff
                 )
            INSERT INTO store_staff_score (
                employee_id, store_id, region_id, company_id, currency_id, month,
                pos_sales, order_count, avg_ticket,
                member_signups, checklist_completion_rate, checklist_ontime_rate, rejected_photos,
                score, rank_store, rank_region, training_alert,
                create_uid, create_date, write_uid, write_date
            )
            SELECT p.employee_id, p.store_id, st.region_id, st.company_id, co.currency_id, %(month)s,
                   ROUND(COALESCE(s.amount, 0), cur.decimal_places),
                   COALESCE(t.order_count, 0),
                   ROUND(COALESCE(t.amount / NULLIF(t.order_count, 0), 0), cur.decimal_places),
                   0, 0, 0, 0,
                   0, 0, 0, FALSE,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM pairs p
              JOIN store_store st ON st.id = p.store_id
              JOIN res_company co ON co.id = st.company_id
              JOIN res_currency cur ON cur.id = co.currency_id
              LEFT JOIN sales s ON s.employee_id = p.employee_id AND s.store_id = p.store_id
              LEFT JOIN tickets t ON t.employee_id = p.employee_id AND t.store_id = p.store_id
            ON CONFLICT (employee_id, month, store_id) DO UPDATE SET
                region_id = EXCLUDED.region_id,
                company_id = EXCLUDED.company_id,
                currency_id = EXCLUDED.currency_id,
                pos_sales = EXCLUDED.pos_sales,
                order_count = EXCLUDED.order_count,
                avg_ticket = EXCLUDED.avg_ticket,
                member_signups = 0,
                checklist_completion_rate = 0,
                checklist_ontime_rate = 0,
                rejected_photos = 0,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING id, employee_id
            """,
            orders=self._month_orders_query(month_start, month_end, companies),
            sales=self._sales_query(),
            tickets=self._tickets_query(),
            companies=companies.ids,
            month=month_start,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    @api.model
    def _get_member_signups(self, month_start, month_end, employees):
        """Hook: {employee id: members signed up by the employee in [month_start, month_end)}.
        The membership addon overrides it; nothing here."""
        return {}

    @api.model
    def _get_checklist_metrics(self, month_start, month_end, employees):
        """Hook: {employee id: (completion %, on-time %, rejected photos)} of the store checklists
        in [month_start, month_end). The store operations addon overrides it; nothing here."""
        return {}

    @api.model
    def _apply_hook_metrics(self, month_start, month_end, employees, companies):
        """Write the hooks' figures in one query. An employee with rows in several stores gets
        them on the row of their own store (else on the row where they sold most)."""
        signups = self._get_member_signups(month_start, month_end, employees)
        checklist = self._get_checklist_metrics(month_start, month_end, employees)
        employee_ids = sorted(set(signups) | set(checklist))
        if not employee_ids:
            return
        no_checklist = (0.0, 0.0, 0)
        self.env.cr.execute(
            SQL(
                """
                UPDATE store_staff_score sc
                   SET member_signups = v.signups,
                       checklist_completion_rate = v.completion,
                       checklist_ontime_rate = v.ontime,
                       rejected_photos = v.photos
                  FROM unnest(%(employees)s::int[], %(signups)s::int[], %(completion)s::float8[],
                              %(ontime)s::float8[], %(photos)s::int[])
                       AS v(employee_id, signups, completion, ontime, photos)
                 WHERE sc.id = (
                        SELECT x.id
                          FROM store_staff_score x
                          JOIN hr_employee e ON e.id = x.employee_id
                         WHERE x.employee_id = v.employee_id AND x.month = %(month)s
                           AND x.company_id = ANY(%(companies)s)
                         ORDER BY x.store_id = e.store_id DESC NULLS LAST, x.pos_sales DESC, x.id
                         LIMIT 1
                 )
                """,
                employees=employee_ids,
                signups=[int(signups.get(emp, 0)) for emp in employee_ids],
                completion=[float(checklist.get(emp, no_checklist)[0]) for emp in employee_ids],
                ontime=[float(checklist.get(emp, no_checklist)[1]) for emp in employee_ids],
                photos=[int(checklist.get(emp, no_checklist)[2]) for emp in employee_ids],
                month=month_start,
                companies=companies.ids,
            )
        )

    @api.model
    def _score_query(self, month_start, companies):
        """Score (0-100) and ranks of the month's rows.

        Each metric is divided by the best value of the store in the month (0..1, negative values
        count as 0); the score is the weighted mean of these over the metrics that someone in the
        store achieved (a metric nobody has, e.g. sign-ups before the membership addon, does not
        lower anyone's score), minus the rejected-photos penalty weighted the same way, times 100,
        kept within 0..100.
        """
        normalised = SQL(", ").join(
            SQL(
                "GREATEST(sc.%(col)s, 0)::float8"
                " / NULLIF(MAX(GREATEST(sc.%(col)s, 0)) OVER store, 0) AS %(norm)s",
                col=SQL.identifier(col),
                norm=SQL.identifier(f"n_{col}"),
            )
            for col, _weight in [*SCORE_METRICS, PENALTY_METRIC]
        )
        # a metric counts (weighted) when its normalised value is not NULL, i.e. the store's best > 0
        numerator = SQL(" + ").join(
            SQL("COALESCE(%(w)s * %(n)s, 0)", w=SQL.identifier("m", w), n=SQL.identifier("m", f"n_{c}"))
            for c, w in SCORE_METRICS
        )
        denominator = SQL(" + ").join(
            SQL(
                "CASE WHEN %(n)s IS NULL THEN 0 ELSE %(w)s END",
                w=SQL.identifier("m", w),
                n=SQL.identifier("m", f"n_{c}"),
            )
            for c, w in SCORE_METRICS
        )
        penalty_col, penalty_weight = PENALTY_METRIC
        penalty = SQL(
            "COALESCE(%(w)s * %(n)s, 0)",
            w=SQL.identifier("m", penalty_weight),
            n=SQL.identifier("m", f"n_{penalty_col}"),
        )
        weights = SQL(", ").join(
            SQL("co.%(w)s", w=SQL.identifier(w)) for _c, w in [*SCORE_METRICS, PENALTY_METRIC]
        )
        return SQL(
            """
            WITH m AS (
                SELECT sc.id, sc.store_id, sc.region_id, %(normalised)s, %(weights)s
                  FROM store_staff_score sc
                  JOIN res_company co ON co.id = sc.company_id
                 WHERE sc.month = %(month)s AND sc.company_id = ANY(%(companies)s)
                WINDOW store AS (PARTITION BY sc.store_id)
            ),
            scored AS (
                SELECT m.id, m.store_id, m.region_id,
                       CASE WHEN (%(denominator)s) > 0
                            THEN ROUND(GREATEST(0, LEAST(100,
                                    100 * ((%(numerator)s) - (%(penalty)s)) / (%(denominator)s)
                                 ))::numeric, 2)
                            ELSE 0 END AS score
                  FROM m
            ),
            ranked AS (
                SELECT id, score,
                       RANK() OVER (PARTITION BY store_id ORDER BY score DESC) AS rank_store,
                       CASE WHEN region_id IS NULL THEN 0
                            ELSE RANK() OVER (PARTITION BY region_id ORDER BY score DESC) END AS rank_region
                  FROM scored
            )
            UPDATE store_staff_score sc
               SET score = r.score, rank_store = r.rank_store, rank_region = r.rank_region
              FROM ranked r
             WHERE r.id = sc.id
            """,
            normalised=normalised,
            weights=weights,
            numerator=numerator,
            denominator=denominator,
            penalty=penalty,
            month=month_start,
            companies=companies.ids,
        )

    # ------------------------------------------------------------------ training alerts
    @api.model
    def _training_candidates_query(self, month_start, companies):
        """(score id of ``month_start``, months, scores) of every (employee, store) at the bottom
        of its store or region (company setting) in each of the company's last N months, all of
        them computed. Bottom: among the ceil(n x percent) lowest ranks of a ranking of at least
        two people, and below its best score."""
        return SQL(
            """
            WITH cfg AS (
                SELECT id AS company_id, GREATEST(training_months, 1) AS months,
                       training_bottom_percent AS pct, training_scope AS scope
                  FROM res_company WHERE id = ANY(%(companies)s)
            ),
            recent AS (
                SELECT sc.id, sc.employee_id, sc.store_id, sc.month, sc.score, cfg.months, cfg.pct,
                       CASE WHEN cfg.scope = 'region' AND sc.region_id IS NOT NULL
                            THEN 'r' || sc.region_id ELSE 's' || sc.store_id END AS ranking
                  FROM store_staff_score sc
                  JOIN cfg ON cfg.company_id = sc.company_id
                 WHERE sc.month <= %(month)s
                   AND sc.month > (%(month)s::date - make_interval(months => cfg.months))::date
            ),
            ranked AS (
                SELECT r.*,
                       RANK() OVER w AS rank_asc,
                       COUNT(*) OVER (PARTITION BY r.month, r.ranking) AS size,
                       MAX(r.score) OVER (PARTITION BY r.month, r.ranking) AS best
                  FROM recent r
                WINDOW w AS (PARTITION BY r.month, r.ranking ORDER BY r.score)
            )
            SELECT MAX(id) FILTER (WHERE month = %(month)s),
                   array_agg(month ORDER BY month), array_agg(score ORDER BY month)
              FROM ranked
             GROUP BY employee_id, store_id, months
            HAVING COUNT(*) = months
               AND bool_or(month = %(month)s)
               AND bool_and(size >= 2 AND score < best AND rank_asc <= GREATEST(1, CEIL(size * pct / 100.0)))
            """,
            companies=companies.ids,
            month=month_start,
        )

    @api.model
    def _check_training_alerts(self, month, companies=None):
        """Flag the month's scorecards of employees at the bottom for the configured number of
        consecutive months, and schedule ONE training activity for each newly flagged one."""
        month_start = self._month_start(month)
        companies = self._store_companies() if companies is None else companies
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(self._training_candidates_query(month_start, companies))
        candidates = {
            score_id: list(zip(months, scores, strict=True)) for score_id, months, scores in cr.fetchall()
        }
        cr.execute(
            SQL(
                """
                UPDATE store_staff_score
                   SET training_alert = id = ANY(%(flagged)s)
                 WHERE month = %(month)s AND company_id = ANY(%(companies)s)
                   AND training_alert IS DISTINCT FROM (id = ANY(%(flagged)s))
                RETURNING id, training_alert
                """,
                flagged=list(candidates),
                month=month_start,
                companies=companies.ids,
            )
        )
        new_ids = [score_id for score_id, alert in cr.fetchall() if alert]
        self.invalidate_model(["training_alert"])
        new_alerts = self.sudo().browse(new_ids)
        for score in new_alerts:
            score._schedule_training(candidates[score.id])
        return new_alerts

    def _training_responsible(self):
        """The employee's manager's user, else the store manager; never the employee."""
        self.ensure_one()
        own_user = self.employee_id.user_id
        for user in (self.employee_id.parent_id.user_id, self.store_id.manager_id):
            if user and user != own_user and user.active:
                return user
        return self.env["res.users"]

    def _schedule_training(self, history):
        """One to-do for the responsible manager with the months and scores of ``history``
        ([(month, score)])."""
        self.ensure_one()
        responsible = self._training_responsible()
        if not responsible:
            return False
        env = self.with_context(lang=responsible.lang or self.env.lang).env
        lines = Markup().join(
            Markup("<li>%s: %s</li>") % (month.strftime("%Y-%m"), f"{score:.2f}") for month, score in history
        )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "%(employee)s ranked in the bottom %(percent)s%% of %(scope)s for %(count)s months in a row. "
                "Please plan a training.",
                employee=self.employee_id.name,
                percent=f"{self.company_id.training_bottom_percent:g}",
                scope=self.region_id.name
                if self.company_id.training_scope == "region" and self.region_id
                else self.store_id.name,
                count=len(history),
            ),
            lines,
        )
        return self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=env._("Training needed: %s", self.employee_id.name),
            note=note,
            user_id=responsible.id,
        )

    # ------------------------------------------------------------------ cron and actions
    @api.model
    def _cron_compute_previous_month(self):
        previous = date.today().replace(day=1) - relativedelta(months=1)
        self._compute_month(previous)
        self._check_training_alerts(previous)
