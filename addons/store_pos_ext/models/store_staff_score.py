import random
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools.demo_time import demo_moment

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
        """Compute (or recompute) every scorecard of ``month`` for ``companies`` (default: every
        company with stores). Recomputing a month replaces its figures in place.

        A fixed number of queries whatever the number of orders: the employees for the hooks, the
        checklist metrics, one upsert that aggregates the month's orders and computes scores and
        ranks, and the removal of rows that no longer apply.
        """
        month_start = self._month_start(month)
        month_end = month_start + relativedelta(months=1)
        companies = self._store_companies() if companies is None else companies
        self.env.flush_all()
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)], order="id")
        )
        hooks = self._hook_metrics(month_start, month_end, employees)
        self.env.cr.execute(self._upsert_query(month_start, month_end, companies, hooks))
        score_ids = [score_id for (score_id,) in self.env.cr.fetchall()]
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
        return self.browse(score_ids)

    @api.model
    def _get_member_signups(self, month_start, month_end, employees):
        """Hook: {employee id: members signed up by the employee in [month_start, month_end)}.
        ``employees``: every employee of the computed companies. The membership addon
        overrides it; nothing here."""
        return {}

    @api.model
    def _get_checklist_metrics(self, month_start, month_end, employees):
        """{employee id: (completion %, on-time %, rejected photos)} of the store checklists of
        [month_start, month_end), in one query:

        - completion: share of the checklists of the employee's store that were completed — the
          team's discipline, the same for everyone in the store;
        - on-time: share of the checklists the employee completed that were done by their due time;
        - rejected photos: photos of the employee's checklists (taken by them, or on checklists they
          completed) that HQ rejected.
        """
        if not employees:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH emp AS (
                    SELECT id, user_id, store_id FROM hr_employee WHERE id = ANY(%(employees)s)
                ), month_checklists AS (
                    SELECT c.* FROM store_checklist c
                     WHERE c.date >= %(start)s AND c.date < %(end)s
                ), completion AS (
                    SELECT store_id,
                           100.0 * count(*) FILTER (WHERE state = 'done') / count(*) AS rate
                      FROM month_checklists GROUP BY store_id
                ), own AS (
                    SELECT e.id AS employee_id,
                           100.0 * count(*) FILTER (WHERE NOT COALESCE(c.is_late, FALSE)) / count(*) AS rate
                      FROM month_checklists c
                      JOIN emp e ON e.id = c.done_employee_id
                                 OR (c.done_employee_id IS NULL AND e.user_id = c.done_by_id)
                     WHERE c.state = 'done'
                     GROUP BY e.id
                ), photos AS (
                    SELECT e.id AS employee_id, count(*) AS rejected
                      FROM store_checklist_line l
                      JOIN month_checklists c ON c.id = l.checklist_id
                      JOIN emp e ON e.user_id = COALESCE(l.filled_by_id, c.done_by_id)
                     WHERE l.review_state = 'rejected'
                     GROUP BY e.id
                )
                SELECT e.id, COALESCE(cp.rate, 0), COALESCE(own.rate, 0), COALESCE(photos.rejected, 0)
                  FROM emp e
                  LEFT JOIN completion cp ON cp.store_id = e.store_id
                  LEFT JOIN own ON own.employee_id = e.id
                  LEFT JOIN photos ON photos.employee_id = e.id
                 WHERE cp.rate IS NOT NULL OR own.rate IS NOT NULL OR photos.rejected IS NOT NULL
                """,
                employees=list(employees.ids),
                start=month_start,
                end=month_end,
            )
        )
        return {
            emp_id: (float(comp), float(ontime), int(rej))
            for emp_id, comp, ontime, rej in self.env.cr.fetchall()
        }

    @api.model
    def _hook_metrics(self, month_start, month_end, employees):
        """The hooks' figures as SQL: rows (employee_id, signups, completion, ontime, photos)."""
        signups = self._get_member_signups(month_start, month_end, employees)
        checklist = self._get_checklist_metrics(month_start, month_end, employees)
        employee_ids = sorted(set(signups) | set(checklist))
        none = (0.0, 0.0, 0)
        return SQL(
            """
            SELECT * FROM unnest(%(employees)s::int[], %(signups)s::int[], %(completion)s::float8[],
                                 %(ontime)s::float8[], %(photos)s::int[])
                       AS h(employee_id, signups, completion, ontime, photos)
            """,
            employees=employee_ids,
            signups=[int(signups.get(emp, 0)) for emp in employee_ids],
            completion=[float(checklist.get(emp, none)[0]) for emp in employee_ids],
            ontime=[float(checklist.get(emp, none)[1]) for emp in employee_ids],
            photos=[int(checklist.get(emp, none)[2]) for emp in employee_ids],
        )

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
    def _score_expression(self):
        """Score (0-100) of a row of ``normalised``.

        Each metric is divided by the best value of the store in the month (0..1, negative values
        count as 0); the score is the weighted mean of these over the metrics that someone in the
        store achieved (a metric nobody has, e.g. sign-ups before the membership addon, does not
        lower anyone's score), minus the rejected-photos penalty weighted the same way, times 100,
        kept within 0..100.
        """
        numerator = SQL(" + ").join(
            SQL("COALESCE(%s * %s, 0)", SQL.identifier(w), SQL.identifier(f"n_{c}")) for c, w in SCORE_METRICS
        )
        denominator = SQL(" + ").join(
            SQL("CASE WHEN %s IS NULL THEN 0 ELSE %s END", SQL.identifier(f"n_{c}"), SQL.identifier(w))
            for c, w in SCORE_METRICS
        )
        penalty_col, penalty_weight = PENALTY_METRIC
        penalty = SQL(
            "COALESCE(%s * %s, 0)", SQL.identifier(penalty_weight), SQL.identifier(f"n_{penalty_col}")
        )
        return SQL(
            """
            CASE WHEN (%(denominator)s) > 0
                 THEN ROUND(GREATEST(0, LEAST(100,
                          100 * ((%(numerator)s) - (%(penalty)s)) / (%(denominator)s)
                      ))::numeric, 2)
                 ELSE 0 END
            """,
            numerator=numerator,
            denominator=denominator,
            penalty=penalty,
        )

    @api.model
    def _upsert_query(self, month_start, month_end, companies, hooks):
        """Insert or replace the month's rows, figures, scores and ranks in one statement.

        Rows: every (employee, store) with sales or orders, and every active employee of an
        active store (staff who sold nothing rank last). The hooks' figures of an employee go to
        the row of their own store (else the row where they sold most).
        """
        metric_cols = [col for col, _weight in [*SCORE_METRICS, PENALTY_METRIC]]
        normalised = SQL(", ").join(
            SQL(
                "GREATEST(%(col)s, 0)::float8 / NULLIF(MAX(GREATEST(%(col)s, 0)) OVER store, 0) AS %(norm)s",
                col=SQL.identifier(col),
                norm=SQL.identifier(f"n_{col}"),
            )
            for col in metric_cols
        )
        weights = SQL(", ").join(
            SQL("co.%s", SQL.identifier(w)) for _c, w in [*SCORE_METRICS, PENALTY_METRIC]
        )
        return SQL(
            """
            WITH month_orders AS (%(orders)s),
                 sales AS (%(sales)s),
                 tickets AS (%(tickets)s),
                 hooks AS (%(hooks)s),
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
                 ),
                 figures AS (
                    SELECT p.employee_id, p.store_id, st.region_id, st.company_id, co.currency_id,
                           ROUND(COALESCE(s.amount, 0), cur.decimal_places) AS pos_sales,
                           COALESCE(t.order_count, 0) AS order_count,
                           ROUND(COALESCE(t.amount / NULLIF(t.order_count, 0), 0), cur.decimal_places)
                               AS avg_ticket,
                           ROW_NUMBER() OVER (
                               PARTITION BY p.employee_id
                               ORDER BY p.store_id = e.store_id DESC NULLS LAST, s.amount DESC NULLS LAST,
                                        p.store_id
                           ) = 1 AS gets_hooks
                      FROM pairs p
                      JOIN hr_employee e ON e.id = p.employee_id
                      JOIN store_store st ON st.id = p.store_id
                      JOIN res_company co ON co.id = st.company_id
                      JOIN res_currency cur ON cur.id = co.currency_id
                      LEFT JOIN sales s ON s.employee_id = p.employee_id AND s.store_id = p.store_id
                      LEFT JOIN tickets t ON t.employee_id = p.employee_id AND t.store_id = p.store_id
                 ),
                 metrics AS (
                    SELECT f.*,
                           CASE WHEN f.gets_hooks THEN COALESCE(h.signups, 0) ELSE 0 END AS member_signups,
                           CASE WHEN f.gets_hooks THEN COALESCE(h.completion, 0) ELSE 0 END
                               AS checklist_completion_rate,
                           CASE WHEN f.gets_hooks THEN COALESCE(h.ontime, 0) ELSE 0 END
                               AS checklist_ontime_rate,
                           CASE WHEN f.gets_hooks THEN COALESCE(h.photos, 0) ELSE 0 END AS rejected_photos
                      FROM figures f
                      LEFT JOIN hooks h ON h.employee_id = f.employee_id
                 ),
                 normalised AS (
                    SELECT m.*, %(normalised)s, %(weights)s
                      FROM metrics m
                      JOIN res_company co ON co.id = m.company_id
                    WINDOW store AS (PARTITION BY m.store_id)
                 ),
                 scored AS (
                    SELECT n.*, %(score)s AS score FROM normalised n
                 )
            INSERT INTO store_staff_score (
                employee_id, store_id, region_id, company_id, currency_id, month,
                pos_sales, order_count, avg_ticket,
                member_signups, checklist_completion_rate, checklist_ontime_rate, rejected_photos,
                score, rank_store, rank_region, training_alert,
                create_uid, create_date, write_uid, write_date
            )
            SELECT employee_id, store_id, region_id, company_id, currency_id, %(month)s,
                   pos_sales, order_count, avg_ticket,
                   member_signups, checklist_completion_rate, checklist_ontime_rate, rejected_photos,
                   score,
                   RANK() OVER (PARTITION BY store_id ORDER BY score DESC),
                   CASE WHEN region_id IS NULL THEN 0
                        ELSE RANK() OVER (PARTITION BY region_id ORDER BY score DESC) END,
                   FALSE,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM scored
            ON CONFLICT (employee_id, month, store_id) DO UPDATE SET
                region_id = EXCLUDED.region_id,
                company_id = EXCLUDED.company_id,
                currency_id = EXCLUDED.currency_id,
                pos_sales = EXCLUDED.pos_sales,
                order_count = EXCLUDED.order_count,
                avg_ticket = EXCLUDED.avg_ticket,
                member_signups = EXCLUDED.member_signups,
                checklist_completion_rate = EXCLUDED.checklist_completion_rate,
                checklist_ontime_rate = EXCLUDED.checklist_ontime_rate,
                rejected_photos = EXCLUDED.rejected_photos,
                score = EXCLUDED.score,
                rank_store = EXCLUDED.rank_store,
                rank_region = EXCLUDED.rank_region,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING id
            """,
            orders=self._month_orders_query(month_start, month_end, companies),
            sales=self._sales_query(),
            tickets=self._tickets_query(),
            hooks=hooks,
            companies=companies.ids,
            normalised=normalised,
            weights=weights,
            score=self._score_expression(),
            month=month_start,
            uid=self.env.uid,
            now=fields.Datetime.now(),
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
        env = self.with_context(lang=responsible._store_lang()).env
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

    # ------------------------------------------------------------------ demo data
    # Who sells most in each demo store, month after month (others trail): in 上海浦东店 the
    # cashier trails three months in a row, which raises a training alert for the store manager.
    _DEMO_LEADERS = {
        "store_pos_ext.store_shxh_demo": ("cashier", "manager", "cashier"),
        "store_pos_ext.store_shpd_demo": ("manager", "manager", "manager"),
        "store_pos_ext.store_hzxh_demo": ("cashier", "cashier", "manager"),
        "store_pos_ext.store_bjcy_demo": ("manager", "cashier", "cashier"),
    }

    @api.model
    def _demo_create_history(self, months=3):
        """Demo data only: ``months`` months of paid POS orders of the demo stores' staff (in one
        closed session per store, some lines credited to a colleague as salesperson), then their
        scorecards and training alerts, month after month."""
        rng = random.Random(42)
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=months)
        month_starts = [first + relativedelta(months=i) for i in range(months)]
        products = self.env["product.product"].search(
            [("default_code", "=like", "YJ%"), ("available_in_pos", "=", True)], order="default_code"
        )
        for xmlid, leaders in self._DEMO_LEADERS.items():
            store = self.env.ref(xmlid, raise_if_not_found=False)
            config = store.pos_config_ids[:1] if store else None
            staff = store.employee_ids.sorted("id") if store else None
            if not config or len(staff) < 2 or not products:
                continue
            session = self.env["pos.session"].create(
                {"config_id": config.id, "user_id": (store.manager_id or self.env.user).id}
            )
            session.start_at = datetime.combine(first, datetime.min.time())
            cash = config.payment_method_ids.filtered("is_cash_count")[:1] or config.payment_method_ids[:1]
            vals_list = []
            for month, leader in zip(month_starts, leaders, strict=False):
                for employee in staff:
                    leads = (employee.job_title == "店长") == (leader == "manager")
                    for _n in range(rng.randint(20, 26) if leads else rng.randint(8, 12)):
                        when = demo_moment(rng, month.replace(day=rng.randint(1, 28)), store.tz)
                        lines = []
                        for _line in range(rng.randint(2, 4) if leads else rng.randint(1, 2)):
                            product, qty = products[rng.randrange(len(products))], rng.randint(1, 3)
                            colleague = staff - employee if rng.random() < 0.15 else employee
                            amount = product.lst_price * qty
                            lines.append(
                                Command.create(
                                    {
                                        "product_id": product.id,
                                        "qty": qty,
                                        "price_unit": product.lst_price,
                                        "price_subtotal": amount,
                                        "price_subtotal_incl": amount,
                                        "salesperson_id": colleague[:1].id,
                                    }
                                )
                            )
                        total = sum(line[2]["price_subtotal"] for line in lines)
                        vals_list.append(
                            {
                                "session_id": session.id,
                                "employee_id": employee.id,
                                "user_id": (employee.user_id or self.env.user).id,
                                "date_order": when,
                                "state": "paid",
                                "lines": lines,
                                "payment_ids": [
                                    Command.create(
                                        {"payment_method_id": cash.id, "amount": total, "payment_date": when}
                                    )
                                ],
                                "amount_total": total,
                                "amount_tax": 0.0,
                                "amount_paid": total,
                                "amount_return": 0.0,
                            }
                        )
            orders = self.env["pos.order"].create(vals_list)
            for order in orders:  # core names an order when it is paid (``write``)
                order.name = order._compute_order_name()
            orders._demo_date_records()
            session.write(
                {
                    "state": "closed",
                    "stop_at": datetime.combine(
                        month_starts[-1] + relativedelta(months=1), datetime.min.time()
                    ),
                }
            )
        for month in month_starts:
            self._compute_month(month)
            self._check_training_alerts(month)
