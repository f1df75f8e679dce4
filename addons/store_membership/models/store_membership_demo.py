import logging
import random
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import float_round

from odoo.addons.store_pos_ext.tools.demo_time import demo_local, demo_moment

_logger = logging.getLogger(__name__)

# (name, mobile, gender, birthday or None for "this month", home store, profile, joined days ago)
# profile: how often and how much a member buys (gold and silver members spend enough in the year
# for 金卡 / 银卡 — the server decides their tier from what they spent).
DEMO_MEMBERS = [
    ("王秀英", "13601210001", "female", None, "shxh", "gold", 364),
    ("李伟", "13701210002", "male", "1985-03-12", "shxh", "silver", 362),
    ("张敏", "15001210003", "female", "1992-07-08", "shxh", "regular", 348),
    ("刘洋", "18601210004", "male", "1988-11-23", "shxh", "regular", 363),
    ("陈静", "13601210005", "female", "1979-01-30", "shxh", "silver", 358),
    ("杨帆", "13701210006", "male", "1995-05-17", "shxh", "regular", 356),
    ("赵丽", "15001210007", "female", "1990-09-02", "shxh", "regular", 210),
    ("黄磊", "18601210008", "male", None, "shxh", "regular", 45),
    ("周婷", "13601210009", "female", "1983-04-26", "shpd", "gold", 361),
    ("吴刚", "13701210010", "male", "1976-12-05", "shpd", "silver", 355),
    ("徐慧", "15001210011", "female", "1998-02-14", "shpd", "regular", 354),
    ("孙浩", "18601210012", "male", "1991-06-30", "shpd", "regular", 150),
    ("马兰", "13601210013", "female", "1987-08-19", "shpd", "regular", 95),
    ("朱峰", "13701210014", "male", "1993-10-10", "shpd", "regular", 20),
    ("胡蓉", "15001210015", "female", None, "shpd", "silver", 330),
    ("郭涛", "18601210016", "male", "1980-03-03", "hzxh", "regular", 360),
    ("林雪", "13601210017", "female", "1996-11-11", "hzxh", "gold", 359),
    ("何军", "13701210018", "male", "1984-07-22", "hzxh", "regular", 352),
    ("高燕", "15001210019", "female", "1989-05-05", "hzxh", "silver", 345),
    ("罗斌", "18601210020", "male", "1994-01-18", "hzxh", "regular", 180),
    ("梁红", "13601210021", "female", "1982-09-27", "hzxh", "regular", 60),
    ("宋杰", "13701210022", "male", "1997-12-24", "hzxh", "regular", 8),
    ("郑爽", "15001210023", "female", "1986-02-08", "bjcy", "silver", 357),
    ("谢鹏", "18601210024", "male", "1978-06-15", "bjcy", "regular", 350),
    ("韩梅", "13601210025", "female", "1999-04-01", "bjcy", "regular", 240),
    ("唐宁", "13701210026", "male", "1990-10-31", "bjcy", "regular", 120),
    ("冯琳", "15001210027", "female", "1985-08-08", "bjcy", "regular", 75),
    ("董强", "18601210028", "male", "1981-03-21", "bjcy", "regular", 30),
    ("萧雅", "13601210029", "female", "1993-12-12", "bjcy", "regular", 14),
    ("程亮", "13701210030", "male", "1987-05-20", "bjcy", "regular", 3),
]
DEMO_STORES = ("shxh", "shpd", "hzxh", "bjcy")
# Ticket of a member's purchase (CNY, low-high) and how often they shop (visits a weekday; weekends
# half as much again).
DEMO_PROFILES = {"gold": (40, 90, 0.22), "silver": (25, 55, 0.11), "regular": (10, 35, 0.07)}
# A member shops at their home store, sometimes at another store of the chain.
DEMO_AWAY_SHARE = 0.2
# Top-ups, with amounts between the bonus rules too (each gets the highest rule it reaches).
DEMO_TOPUPS = (100, 200, 300, 500, 800, 1000, 2000)
DEMO_TOPUP_WEIGHTS = (5, 3, 2, 4, 1, 2, 1)
# A year of history, in days before today (a day short of 12 months: the tier review's rolling year
# and the points' validity still hold all of it the day after the install).
DEMO_DAYS = 364
# The last days are made by store_promotions' demo when it is installed with store_membership: the
# same history, with the demo promotions running (one pass in date order keeps each card's ledger
# in the order it happened).
DEMO_RECENT_DAYS = 35


class StoreMembershipDemo(models.AbstractModel):
    """Builds the demo chain's membership and a year of its tills' history (demo data only,
    called from the demo XML)."""

    _name = "store.membership.demo"
    _description = "Membership demo data"

    @api.model
    def _create_members(self, company_id):
        """Demo data only: the chain's members and a year of POS orders of the four stores (member
        and anonymous sales, top-ups, stored-value payments, point redemptions, refunds), paid as
        a till's orders are (``action_pos_order_paid``: the server's pricing, member settlement and,
        with store_promotions, the promotion check), so every balance, ledger line, inter-store
        settlement and tier comes from the ledger API. Then every record of an order is dated at
        the order's date (``_demo_date_records``). Deterministic; runs once."""
        company = self.env["res.company"].browse(company_id)
        self = self.with_company(company).with_context(tracking_disable=True, mail_notrack=True)
        if self.env["res.partner"]._store_member_find(DEMO_MEMBERS[0][1]):
            return
        stores = self._demo_stores()
        if not stores:
            return
        self._demo_setup_tills(stores)
        promotions_follow = self.env["ir.module.module"].search_count(
            [("name", "=", "store_promotions"), ("state", "=", "to install")]
        )
        self._demo_history(company, DEMO_DAYS, DEMO_RECENT_DAYS + 1 if promotions_follow else 0)

    @api.model
    def _create_recent_history(self, company_id):
        """Demo data only: the last ``DEMO_RECENT_DAYS`` days of the history, when the membership
        demo left them (store_promotions' demo calls this once its promotions run)."""
        company = self.env["res.company"].browse(company_id)
        self = self.with_company(company).with_context(tracking_disable=True, mail_notrack=True)
        first = self.env["res.partner"]._store_member_find(DEMO_MEMBERS[0][1])
        stores = self._demo_stores()
        if not first or not stores:
            return
        since = fields.Datetime.now() - timedelta(days=DEMO_RECENT_DAYS)
        if self.env["pos.order"].search_count(
            [("config_id.store_id", "in", [s.id for s in stores.values()]), ("date_order", ">=", since),
             ("partner_id.is_member", "=", True)],
            limit=1,
        ):  # fmt: skip
            return
        self._demo_history(company, DEMO_RECENT_DAYS, 0)

    @api.model
    def _demo_stores(self):
        stores = {
            code: self.env.ref(f"store_pos_ext.store_{code}_demo", raise_if_not_found=False)
            for code in DEMO_STORES
        }
        return stores if all(stores.values()) else {}

    @api.model
    def _demo_setup_tills(self, stores):
        """The stored-value payment method and the gold members' pricelist in every demo store's POS."""
        sv_method = self.env.ref("store_membership.payment_method_stored_value_demo")
        gold_pricelist = self.env.ref("store_membership.pricelist_gold_demo")
        retail_pricelist = self.env["product.pricelist"]
        for store in stores.values():
            for config in store.pos_config_ids:
                base = config.pricelist_id
                if base.currency_id != gold_pricelist.currency_id:
                    # A database whose main company is not in CNY lends its default pricelist
                    # to new POS: the chain's tills get one in CNY (a POS has one currency).
                    retail_pricelist = retail_pricelist or retail_pricelist.create(
                        {
                            "name": "零售价",
                            "company_id": gold_pricelist.company_id.id,
                            "currency_id": gold_pricelist.currency_id.id,
                        }
                    )
                    base = retail_pricelist
                config.write(
                    {
                        "payment_method_ids": [Command.link(sv_method.id)],
                        "use_pricelist": True,
                        "pricelist_id": base.id,
                        "available_pricelist_ids": [Command.set((base | gold_pricelist).ids)],
                    }
                )

    # ------------------------------------------------------------------ history
    @api.model
    def _demo_history(self, company, first_day, last_day):
        """The history of the days from ``first_day`` to ``last_day`` days ago, day after day in
        date order: members join at their home store and shop as their profile says (mostly at
        home, weekends more), among customers without a membership, at the stores' busy hours: a
        member's purchase, top-up, payment with stored value, point redemption or the return of a
        recent purchase.
        Orders are paid through ``action_pos_order_paid`` in weekly sessions, then dated."""
        stores = self._demo_stores()
        products = self.env["product.product"].search(
            [("default_code", "=like", "YJ%"), ("available_in_pos", "=", True)], order="default_code"
        )
        if not products:
            return
        rng = random.Random(f"store-chain-demo-{first_day}-{last_day}")
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        Partner = self.env["res.partner"]
        members = {}  # partner: (home store, profile)
        joins = {}
        for n, (_name, mobile, _gender, _birthday, home, profile, joined) in enumerate(DEMO_MEMBERS):
            partner = Partner._store_member_find(mobile)
            if partner:
                members[partner] = (stores[home], profile)
            elif last_day <= joined:
                joins.setdefault(min(joined, first_day), []).append(n)
        state = {
            "sessions": {},
            "orders": self.env["pos.order"],
            "tier_dates": [],
            "last_tier_change": self._demo_last_tier_change(),
            "refundable": {},
            "prices": {},
            "anonymous": [],
            # Running promotions (store_promotions' demo): every order is offered them.
            "promotions": self._demo_promotions_running(company),
        }
        for back in range(first_day, last_day - 1, -1):
            day = today - timedelta(days=back)
            day_members = dict(members)  # who joined before today
            for n in joins.get(back, []):
                partner, store = self._demo_register(n, stores, day, rng)
                members[partner] = (store, DEMO_MEMBERS[n][5])
            weekend = day.weekday() >= 5
            sales = []
            for store in stores.values():
                # Customers without a membership: 0-1 a weekday, 1-2 a weekend day in each store.
                for _n in range(rng.randint(1, 2) if weekend else rng.randint(0, 1)):
                    sales.append((demo_moment(rng, day, store.tz), store, False))
            for partner, (home, profile) in day_members.items():
                if rng.random() < DEMO_PROFILES[profile][2] * (1.5 if weekend else 1.0):
                    store = home
                    if rng.random() < DEMO_AWAY_SHARE:
                        store = rng.choice([s for s in stores.values() if s != home])
                    sales.append((demo_moment(rng, day, store.tz), store, partner))
            sales = [sale for sale in sales if sale[0] < now - timedelta(minutes=30)]
            for when, store, partner in sorted(sales, key=lambda s: (s[0], s[1].id)):
                self._demo_sale(state, rng, products, store, when, partner, members.get(partner))
            self._demo_pay_anonymous(state)
        self._demo_close_sessions(state)
        self._demo_date_history(state)
        # Members born this month get this year's birthday coupon.
        Partner._cron_store_birthday_coupons()

    @api.model
    def _demo_register(self, n, stores, day, rng):
        """Register the ``n``-th demo member at their home store's POS, by one of its staff, on
        ``day`` (their join date: the partner, its consent and its cards are dated then)."""
        name, mobile, gender, birthday, home, _profile, _joined = DEMO_MEMBERS[n]
        store = stores[home]
        if birthday is None:
            birthday = fields.Date.context_today(self).replace(year=1980 + n % 20, day=min(5 + n, 28))
        staff = store.employee_ids.sorted("id")
        Partner = self.env["res.partner"]
        info = Partner.store_member_register(
            {"mobile": mobile, "name": name, "birthday": birthday, "gender": gender},
            config_id=store.pos_config_ids[:1].id,
            employee_id=staff[n % len(staff)].id if staff else False,
        )
        partner = Partner.browse(info["id"])
        when = demo_moment(rng, day, store.tz)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """UPDATE res_partner SET create_date = %(when)s, write_date = %(when)s,
                      member_consent_date = %(when)s WHERE id = %(id)s""",
            {"when": when, "id": partner.id},
        )
        cr.execute(
            "UPDATE loyalty_card SET create_date = %s, write_date = %s WHERE partner_id = %s",
            [when, when, partner.id],
        )
        cr.execute(
            "UPDATE store_member_tier_history SET create_date = %s, write_date = %s WHERE partner_id = %s",
            [when, when, partner.id],
        )
        partner.invalidate_recordset()
        return partner, store

    @api.model
    def _demo_session(self, state, store, when):
        """The store's POS session of the week of ``when`` (a demo store opens one a week)."""
        day = fields.Date.context_today(self, when)
        monday = day - timedelta(days=day.weekday())
        key = (store, monday)
        if key not in state["sessions"]:
            self._demo_close_sessions(state, store)
            config = store.pos_config_ids[:1]
            start = demo_local(max(monday, day), 7, 30, store.tz)
            session = self.env["pos.session"].create(
                {
                    "config_id": config.id,
                    "user_id": (store.manager_id or self.env.user).id,
                    "name": f"{config.name}/{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
                }
            )
            session.write({"state": "opened", "start_at": start})
            state["sessions"][key] = {
                "record": session,
                "open": True,
                "end": demo_local(monday + timedelta(days=6), 22, 30, store.tz),
            }
        return state["sessions"][key]["record"]

    @api.model
    def _demo_close_sessions(self, state, store=None):
        """Close the open sessions (of ``store`` only, if given) at the end of their week."""
        for (session_store, _monday), session in state["sessions"].items():
            if session["open"] and (store is None or session_store == store):
                end = min(session["end"], fields.Datetime.now())
                session["record"].write({"state": "closed", "stop_at": end})
                session["open"] = False

    @api.model
    def _demo_sale(self, state, rng, products, store, when, partner, membership):
        """One order of ``store`` at ``when``, paid as a till's is: for a member (``membership``:
        home store, profile) a purchase, top-up, stored-value payment, redemption or refund; else
        a sale. An anonymous sale waits in ``state["anonymous"]`` to be paid with its day's."""
        session = self._demo_session(state, store, when)
        config = session.config_id
        company = store.company_id
        employee = store.employee_ids.sorted("id")
        employee = employee[rng.randrange(len(employee))] if employee else employee
        pricelist = config.pricelist_id
        what, cards, target = "buy", {}, rng.uniform(10, 80)
        if partner:
            cards = partner._store_member_cards()
            pricelist = partner.member_tier_id.pricelist_id or pricelist
            low, high, _weight = DEMO_PROFILES[membership[1]]
            target = rng.uniform(low, high)
            sv, points, r = cards["stored_value"].points, cards["points"].points, rng.random()
            refundable = state["refundable"].get(partner)
            if sv < 30 and r < 0.06:
                what = "topup"
            elif sv >= 10 and r < 0.45:
                what = "sv_pay"
            elif points >= 2500 and r < 0.6:
                what = "redeem"
            elif r > 0.97 and refundable and refundable.date_order > when - timedelta(days=14):
                what = "refund"
        if rng.random() < 0.05:
            target = rng.uniform(150, 400)  # a family's weekly shopping
        lines = []
        if what == "topup":
            amount = rng.choices(DEMO_TOPUPS, DEMO_TOPUP_WEIGHTS)[0]
            lines.append(self._demo_line(company.store_sv_product_id, 1, amount))
        elif what == "refund":
            sale = state["refundable"].pop(partner)
            sold = sale.lines.filtered(lambda line: line.qty > 0 and not line.reward_id)
            sold = sold[rng.randrange(len(sold))]
            pricelist = sale.pricelist_id
            lines.append(self._demo_line(sold.product_id, -1, sold.price_unit, refunded_orderline_id=sold.id))
        else:
            total = 0.0
            while total < target:
                product, qty = products[rng.randrange(len(products))], rng.randint(1, 3)
                price = self._demo_price(state, pricelist, product, qty, when)
                lines.append(self._demo_line(product, qty, price))
                total += qty * price
            if what == "redeem":
                reward = company.store_points_program_id.reward_ids[:1]
                cny = min(int(cards["points"].points // 100), 30)
                lines.append(
                    self._demo_line(
                        reward.discount_line_product_id,
                        1,
                        -cny,
                        reward_id=reward.id,
                        is_reward_line=True,
                        coupon_id=cards["points"].id,
                        points_cost=cny * 100,
                    )
                )
        vals = {
            "session_id": session.id,
            "company_id": company.id,
            "partner_id": partner.id if partner else False,
            "employee_id": employee.id,
            "user_id": (employee.user_id or self.env.user).id,
            "date_order": when,
            "pricelist_id": pricelist.id,
            "lines": lines,
            "amount_tax": 0.0,
            "amount_return": 0.0,
        }
        if what in ("buy", "sv_pay") and state["promotions"]:
            # The promotions the till applies (store_promotions), as reward lines.
            discounts = self._demo_discount_lines(self.env["pos.order"].new(vals))
            lines += [Command.create(line) for line in discounts]
        total = round(sum(line[2]["price_subtotal_incl"] for line in lines), 2)
        from_sv = round(min(total, cards["stored_value"].points), 2) if what == "sv_pay" else 0.0
        self._demo_payments(vals, config, total, from_sv)
        vals.update(amount_total=total, amount_paid=total)
        if not partner:
            state["anonymous"].append(vals)
            return
        order = self.env["pos.order"].create(vals)
        # The till holds what the order spends before it is paid, as the POS does.
        Hold = self.env["store.member.hold"]
        if from_sv > 0:
            Hold._authorize(session, cards["stored_value"], "stored_value", order.uuid, from_sv)
        if what == "redeem":
            Hold._authorize(session, cards["points"], "points", order.uuid, order._store_points_redeemed())
        self._demo_paid(state, order)
        if what == "buy" and not order.lines.reward_id:
            state["refundable"][partner] = order
        changed = self._demo_last_tier_change()
        if changed != state["last_tier_change"]:
            state["tier_dates"].append((state["last_tier_change"], changed, when))
            state["last_tier_change"] = changed

    @api.model
    def _demo_paid(self, state, order):
        order.action_pos_order_paid()
        if "flagged" in (order.store_member_state, order.store_price_state):
            _logger.warning(
                "Demo order %s flagged: %s", order.name, order.store_member_issue or order.store_price_issue
            )
        state["orders"] |= order

    @api.model
    def _demo_payments(self, vals, config, total, from_sv=0.0):
        """``vals`` with the payments of ``total``: ``from_sv`` in stored value, the rest in cash."""
        when = vals["date_order"]
        payments = []
        if from_sv > 0:
            payments.append((config.payment_method_ids.filtered("store_is_stored_value")[:1], from_sv))
        if abs(total - from_sv) > 0.001:
            payments.append(
                (config.payment_method_ids.filtered("is_cash_count")[:1], round(total - from_sv, 2))
            )
        vals["payment_ids"] = [
            Command.create({"payment_method_id": m.id, "amount": a, "payment_date": when})
            for m, a in payments
        ]
        return vals

    @api.model
    def _demo_pay_anonymous(self, state):
        """The day's anonymous sales (created together), each paid as a till's is."""
        if state["anonymous"]:
            for order in self.env["pos.order"].create(state["anonymous"]):
                self._demo_paid(state, order)
            state["anonymous"] = []

    @api.model
    def _demo_price(self, state, pricelist, product, qty, when):
        """The pricelist's price, as the till computes it (the demo's prices do not change)."""
        key = (pricelist.id, product.id, qty)
        if key not in state["prices"]:
            state["prices"][key] = float_round(
                pricelist._compute_price_rule(product, qty, currency=pricelist.currency_id, date=when)[
                    product.id
                ][0],
                precision_digits=2,
            )
        return state["prices"][key]

    @api.model
    def _demo_promotions_running(self, company):
        """Does the till apply promotions in ``company`` (store_promotions)? Not here."""
        return False

    @api.model
    def _demo_discount_lines(self, order):
        """Reward lines (values) of the promotions the till applies to the draft ``order``: none
        here; store_promotions adds its running promotions."""
        return []

    @api.model
    def _demo_last_tier_change(self):
        self.env["store.member.tier.history"].flush_model()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM store_member_tier_history")
        return self.env.cr.fetchone()[0]

    @api.model
    def _demo_date_history(self, state):
        """Date what the history wrote at the time it happened: the orders and their records
        (``pos.order._demo_date_records``: lines, payments, ledger lines, holds) and tier changes."""
        state["orders"]._demo_date_records()
        cr = self.env.cr
        for after, upto, when in state["tier_dates"]:
            cr.execute(
                """UPDATE store_member_tier_history SET create_date = %(when)s, write_date = %(when)s
                    WHERE id > %(after)s AND id <= %(upto)s""",
                {"when": when, "after": after, "upto": upto},
            )
        self.env.invalidate_all()

    @api.model
    def _demo_line(self, product, qty, price, **extra):
        amount = round(qty * price, 2)
        return Command.create(
            {
                "product_id": product.id,
                "qty": qty,
                "price_unit": price,
                "price_subtotal": amount,
                "price_subtotal_incl": amount,
                **extra,
            }
        )
