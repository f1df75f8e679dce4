from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

# (class, room, capacity, hour (local), minutes)
DEMO_CLASSES = [
    ("燃脂单车", "单车房", 12, 7, 45),
    ("流瑜伽", "瑜伽室", 15, 12, 60),
    ("搏击操", "操房", 20, 19, 60),
    ("普拉提核心", "瑜伽室", 8, 20, 45),
]


class StoreClassSession(models.Model):
    _inherit = "store.class.session"

    @api.model
    def _demo_setup_fitness(self):
        """Demo data only: the demo chain's gym (杭州西湖店 is marked a gym when the chain has none),
        two coaches, a week of group classes (yesterday to five days ahead) and bookings of a few
        members: yesterday's classes checked in, today's and later booked, one class full with a
        waitlist."""
        ref = self.env.ref
        chain = ref("store_pos_ext.company_chain_demo")
        Store = self.env["store.store"]
        gym = Store.search([("company_id", "=", chain.id), ("industry", "=", "fitness")], limit=1)
        if not gym:
            gym = ref("store_pos_ext.store_hzxh_demo")
            # the demo makes its own services: no industry pack (nor its POS limited to the pack's)
            gym.with_context(store_no_industry_pack=True).industry = "fitness"
        service = (
            self.env["product.product"]
            .with_company(chain)
            .create(
                {"name": "团体课", "type": "service", "list_price": 80.0, "default_code": "JSF-S1",
                 "company_id": chain.id}
            )
        )  # fmt: skip
        coaches = (
            self.env["hr.employee"]
            .with_company(chain)
            .create(
                [
                    {"name": name, "store_id": gym.id, "company_id": chain.id, "job_title": "健身教练"}
                    for name in ("陈健", "林悦")
                ]
            )
        )
        tz = pytz.timezone(gym.tz or "Asia/Shanghai")
        today = fields.Date.context_today(self.with_context(tz=tz.zone))
        vals_list = []
        for day_offset in range(-1, 6):
            day = today + timedelta(days=day_offset)
            for index, (name, room, capacity, hour, minutes) in enumerate(DEMO_CLASSES):
                start = (
                    tz.localize(datetime.combine(day, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)
                )
                vals_list.append(
                    {
                        "store_id": gym.id,
                        "name": name,
                        "room": room,
                        "capacity": capacity if day_offset != 1 or index != 3 else 2,
                        "product_id": service.id,
                        "employee_id": coaches[index % 2].id,
                        "start": start,
                        "stop": start + timedelta(minutes=minutes),
                    }
                )
        sessions = self.with_company(chain).create(vals_list)
        members = self.env["res.partner"].search(
            [("is_member", "=", True), ("home_store_id", "=", gym.id)], order="id", limit=4
        ) or self.env["res.partner"].search([("is_member", "=", True)], order="id", limit=4)
        now = fields.Datetime.now()
        Booking = self.env["store.class.booking"].with_company(chain)
        past = sessions.filtered(lambda s: s.start <= now)
        starts = {session: session.start for session in past}
        past.write({"start": now + timedelta(days=1), "stop": now + timedelta(days=1, hours=1)})
        for session in sessions:
            Booking.create([{"session_id": session.id, "partner_id": m.id} for m in members[:3]])
        # yesterday's (and today's past) classes: booked before they started, then checked in
        for session in past:
            start = starts[session]
            session.write({"start": start, "stop": start + timedelta(minutes=45)})
            bookings = session.booking_ids.sorted("id")
            bookings[:2].action_check_in()
            bookings[2:]._set_state("no_show")
            if session.stop <= now:
                session.action_done()
        # a full class with a waitlist: the fourth member waits
        if len(members) > 3:
            Booking.create({"session_id": sessions.filtered(lambda s: s.capacity == 2)[0].id,
                            "partner_id": members[3].id})  # fmt: skip
