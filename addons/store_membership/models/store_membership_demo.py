import random
from datetime import datetime, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.tools import float_round

# (name, mobile, gender, birthday or None for "this month", home store, profile)
# profile: gold / silver spend enough in the year for 金卡 / 银卡; regular members spend less.
DEMO_MEMBERS = [
    ("王秀英", "13601210001", "female", None, "shxh", "gold"),
    ("李伟", "13701210002", "male", "1985-03-12", "shxh", "silver"),
    ("张敏", "15001210003", "female", "1992-07-08", "shxh", "regular"),
    ("刘洋", "18601210004", "male", "1988-11-23", "shxh", "regular"),
    ("陈静", "13601210005", "female", "1979-01-30", "shxh", "silver"),
    ("杨帆", "13701210006", "male", "1995-05-17", "shxh", "regular"),
    ("赵丽", "15001210007", "female", "1990-09-02", "shxh", "regular"),
    ("黄磊", "18601210008", "male", None, "shxh", "regular"),
    ("周婷", "13601210009", "female", "1983-04-26", "shpd", "gold"),
    ("吴刚", "13701210010", "male", "1976-12-05", "shpd", "silver"),
    ("徐慧", "15001210011", "female", "1998-02-14", "shpd", "regular"),
    ("孙浩", "18601210012", "male", "1991-06-30", "shpd", "regular"),
    ("马兰", "13601210013", "female", "1987-08-19", "shpd", "regular"),
    ("朱峰", "13701210014", "male", "1993-10-10", "shpd", "regular"),
    ("胡蓉", "15001210015", "female", None, "shpd", "silver"),
    ("郭涛", "18601210016", "male", "1980-03-03", "hzxh", "regular"),
    ("林雪", "13601210017", "female", "1996-11-11", "hzxh", "gold"),
    ("何军", "13701210018", "male", "1984-07-22", "hzxh", "regular"),
    ("高燕", "15001210019", "female", "1989-05-05", "hzxh", "silver"),
    ("罗斌", "18601210020", "male", "1994-01-18", "hzxh", "regular"),
    ("梁红", "13601210021", "female", "1982-09-27", "hzxh", "regular"),
    ("宋杰", "13701210022", "male", "1997-12-24", "hzxh", "regular"),
    ("郑爽", "15001210023", "female", "1986-02-08", "bjcy", "silver"),
    ("谢鹏", "18601210024", "male", "1978-06-15", "bjcy", "regular"),
    ("韩梅", "13601210025", "female", "1999-04-01", "bjcy", "regular"),
    ("唐宁", "13701210026", "male", "1990-10-31", "bjcy", "regular"),
    ("冯琳", "15001210027", "female", "1985-08-08", "bjcy", "regular"),
    ("董强", "18601210028", "male", "1981-03-21", "bjcy", "regular"),
    ("萧雅", "13601210029", "female", "1993-12-12", "bjcy", "regular"),
    ("程亮", "13701210030", "male", "1987-05-20", "bjcy", "regular"),
]
DEMO_STORES = ("shxh", "shpd", "hzxh", "bjcy")
# Yearly spend (CNY) and number of purchases per profile.
DEMO_PROFILES = {"gold": ((5600, 7000), 12), "silver": ((2300, 3600), 9), "regular": ((150, 1400), 4)}
DEMO_TOPUPS = (100, 500, 1000)


class StoreMembershipDemo(models.AbstractModel):
    """Builds the demo chain's membership (demo data only, called from the demo XML)."""

    _name = "store.membership.demo"
    _description = "Membership demo data"

    @api.model
    def _create_members(self, company_id):
        """Demo data only: the chain's members and a year of their POS orders, settled by the
        server as a till's orders are (``_store_member_settle``), so every balance, ledger line,
        inter-store settlement and tier comes from the ledger API. Deterministic; runs once."""
        company = self.env["res.company"].browse(company_id)
        self = self.with_company(company).with_context(tracking_disable=True, mail_notrack=True)
        Partner = self.env["res.partner"]
        if Partner._store_member_find(DEMO_MEMBERS[0][1]):
            return
        stores = {
            code: self.env.ref(f"store_pos_ext.store_{code}_demo", raise_if_not_found=False)
            for code in DEMO_STORES
        }
        if not all(stores.values()):
            return
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
        products = self.env["product.product"].search(
            [("default_code", "=like", "YJ%"), ("available_in_pos", "=", True)], order="default_code"
        )
        if not products:
            return
        rng = random.Random(2026)
        today = fields.Date.context_today(self)
        sessions = {}

        def session_of(store):
            if store not in sessions:
                config = store.pos_config_ids[:1]
                session = self.env["pos.session"].create(
                    {"config_id": config.id, "user_id": (store.manager_id or self.env.user).id}
                )
                session.start_at = fields.Datetime.now() - timedelta(days=366)
                sessions[store] = session
            return sessions[store]

        # Registration at the home store's POS, by one of its staff.
        members = []
        for n, (name, mobile, gender, birthday, home, profile) in enumerate(DEMO_MEMBERS):
            store = stores[home]
            if birthday is None:
                birthday = today.replace(year=1980 + n % 20, day=min(5 + n, 28))
            staff = store.employee_ids.sorted("id")
            info = Partner.store_member_register(
                {"mobile": mobile, "name": name, "birthday": birthday, "gender": gender},
                config_id=store.pos_config_ids[:1].id,
                employee_id=staff[n % len(staff)].id if staff else False,
            )
            members.append((Partner.browse(info["id"]), store, profile, n))

        # A year of visits per member, in date order, each settled as the till's would be.
        events = []
        for partner, home, profile, n in members:
            (low, high), count = DEMO_PROFILES[profile]
            count += rng.randint(-1, 2)
            spend = rng.uniform(low, high)
            others = [s for s in stores.values() if s != home]
            days = sorted(rng.sample(range(3, 335), count), reverse=True)
            if n == 3:
                days[0] = 350  # some points of 刘洋 expire within a month (reminder)
            for i, day in enumerate(days):
                store = home if rng.random() < 0.75 else rng.choice(others)
                events.append((day, rng.randint(0, 10**6), "buy", partner, store, spend / count))
                if n % 4 == 1 and i == count - 2:
                    events.append((day - 1, rng.randint(0, 10**6), "redeem", partner, rng.choice(others), 0))
            if n % 3 == 0:
                first = days[0] - 1
                events.append((first, 0, "topup", partner, home, DEMO_TOPUPS[(n // 3) % 3]))
                events.append((max(first - 40, 1), 1, "sv_pay", partner, rng.choice(others), 0))
        events.sort(key=lambda e: (-e[0], e[1]))

        points_program = company.store_points_program_id
        reward = points_program.reward_ids[:1]
        topup_product = company.store_sv_product_id
        for day, _tie, what, partner, store, amount in events:
            session = session_of(store)
            config = session.config_id
            cash = config.payment_method_ids.filtered("is_cash_count")[:1]
            employee = store.employee_ids.sorted("id")[:1]
            local = datetime.combine(today - timedelta(days=day), datetime.min.time()).replace(
                hour=rng.randint(9, 20), minute=rng.randint(0, 59)
            )
            when = (
                pytz.timezone(store.tz or "Asia/Shanghai")
                .localize(local)
                .astimezone(pytz.utc)
                .replace(tzinfo=None)
            )
            cards = partner._store_member_cards()
            # The member's tier pricelist (金卡 95折) or the till's, priced as the server prices it.
            pricelist = partner.member_tier_id.pricelist_id or config.pricelist_id
            lines, payments = [], []
            if what == "topup":
                lines.append(self._demo_line(topup_product, 1, amount))
            else:
                target = amount if what == "buy" else rng.uniform(80, 260)
                total = 0.0
                while total < target:
                    product, qty = products[rng.randrange(len(products))], rng.randint(1, 4)
                    price = float_round(
                        pricelist._compute_price_rule(
                            product, qty, currency=pricelist.currency_id, date=when
                        )[product.id][0],
                        precision_digits=2,
                    )
                    lines.append(self._demo_line(product, qty, price))
                    total += qty * price
                if what == "redeem":
                    cny = min(int(cards["points"].points // 100), 30)
                    if cny < 1:
                        continue
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
            total = round(sum(line[2]["price_subtotal_incl"] for line in lines), 2)
            if what == "sv_pay":
                from_sv = round(min(total, cards["stored_value"].points), 2)
                payments.append((sv_method, from_sv))
                if total - from_sv > 0.001:
                    payments.append((cash, round(total - from_sv, 2)))
            else:
                payments.append((cash, total))
            order = self.env["pos.order"].create(
                {
                    "session_id": session.id,
                    "partner_id": partner.id,
                    "employee_id": employee.id,
                    "user_id": (employee.user_id or self.env.user).id,
                    "date_order": when,
                    "pricelist_id": pricelist.id,
                    "state": "paid",
                    "lines": lines,
                    "payment_ids": [
                        Command.create({"payment_method_id": m.id, "amount": a, "payment_date": when})
                        for m, a in payments
                    ],
                    "amount_total": total,
                    "amount_tax": 0.0,
                    "amount_paid": total,
                    "amount_return": 0.0,
                }
            )
            # The till holds what the order spends before it is paid, as the POS does.
            Hold = self.env["store.member.hold"]
            if what == "sv_pay" and from_sv > 0:
                Hold._authorize(session, cards["stored_value"], "stored_value", order.uuid, from_sv)
            if what == "redeem":
                spent = order._store_points_redeemed()
                Hold._authorize(session, cards["points"], "points", order.uuid, spent)
            order._store_member_settle()
        for session in sessions.values():
            session.write({"state": "closed", "stop_at": fields.Datetime.now()})
        # Members born this month get this year's birthday coupon.
        Partner._cron_store_birthday_coupons()

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
