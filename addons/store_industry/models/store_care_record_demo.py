import base64
import io
import random
from datetime import timedelta

from PIL import Image

from odoo import Command, api, fields, models

# (service, price); (product used, price)
DEMO_SERVICES = [("面部深层清洁", 198.0), ("补水保湿护理", 298.0), ("美白淡斑护理", 498.0)]
DEMO_PRODUCTS = [("玻尿酸精华液", 168.0), ("舒缓修护面膜", 58.0), ("氨基酸洁面乳", 88.0)]
DEMO_CONCERNS = ["毛孔粗大", "T区出油", "两颊干燥", "色斑", "换季泛红", "细纹"]


def _demo_photo(color):
    buf = io.BytesIO()
    Image.new("RGB", (160, 120), color).save(buf, "PNG")
    return base64.b64encode(buf.getvalue())


class StoreCareRecord(models.Model):
    _inherit = "store.care.record"

    @api.model
    def _demo_setup_care(self):
        """Demo data only: the demo chain's beauty salon (北京朝阳店 is marked a beauty salon when the
        chain has none), its services, products, two beauticians and three months of care records
        of a few members, with next visits due (the reminder job runs at the end)."""
        ref = self.env.ref
        chain = ref("store_pos_ext.company_chain_demo")
        Store = self.env["store.store"]
        salon = Store.search([("company_id", "=", chain.id), ("industry", "=", "beauty")], limit=1)
        if not salon:
            salon = ref("store_pos_ext.store_bjcy_demo")
            # the demo makes its own services: no industry pack (nor its POS limited to the pack's)
            salon.with_context(store_no_industry_pack=True).industry = "beauty"
        Product = self.env["product.product"].with_company(chain)
        services = Product.create(
            [
                {"name": name, "type": "service", "list_price": price, "default_code": f"YJB-S{n}",
                 "company_id": chain.id}
                for n, (name, price) in enumerate(DEMO_SERVICES, 1)
            ]
        )  # fmt: skip
        products = Product.create(
            [
                {"name": name, "type": "consu", "list_price": price, "default_code": f"YJB-P{n}",
                 "company_id": chain.id}
                for n, (name, price) in enumerate(DEMO_PRODUCTS, 1)
            ]
        )  # fmt: skip
        beauticians = (
            self.env["hr.employee"]
            .with_company(chain)
            .create(
                [
                    {"name": name, "store_id": salon.id, "company_id": chain.id, "job_title": "美容师"}
                    for name in ("王晓美", "赵丽娜")
                ]
            )
        )
        members = self.env["res.partner"].search(
            [("is_member", "=", True), ("home_store_id", "=", salon.id)], order="id", limit=4
        ) or self.env["res.partner"].search([("is_member", "=", True)], order="id", limit=4)
        rng = random.Random(15)
        today = fields.Date.context_today(self.with_context(tz=salon.tz or "Asia/Shanghai"))
        vals_list = []
        for index, member in enumerate(members):
            # the last visit of member 0 was 26 days ago (next visit due in 2 days: reminded);
            # the others came back more recently
            visits = [today - timedelta(days=26 + 28 * k) for k in range(3)] if index == 0 else [
                today - timedelta(days=rng.randint(3, 20) + 28 * k) for k in range(rng.randint(1, 3))
            ]  # fmt: skip
            for k, day in enumerate(sorted(visits)):
                moisture = rng.uniform(25, 45) + 3 * k
                vals_list.append(
                    {
                        "store_id": salon.id,
                        "partner_id": member.id,
                        "date": day,
                        "service_id": services[(index + k) % len(services)].id,
                        "employee_id": beauticians[(index + k) % 2].id,
                        "product_ids": [Command.set(rng.sample(products.ids, 2))],
                        "skin_type": rng.choice(["dry", "oily", "combination", "sensitive"]),
                        "skin_moisture": round(moisture, 1),
                        "skin_oil": round(rng.uniform(15, 40), 1),
                        "skin_sensitivity": rng.choice(["low", "medium", "high"]),
                        "skin_concerns": "、".join(rng.sample(DEMO_CONCERNS, 2)),
                        "note": "护理后皮肤状态稳定，建议居家每周敷面膜两次，注意防晒。",
                        "next_visit_date": day + timedelta(days=28),
                        "photo_before": _demo_photo((196, 160, 140)) if k == len(visits) - 1 else False,
                        "photo_after": _demo_photo((232, 200, 180)) if k == len(visits) - 1 else False,
                    }
                )
        self.with_company(chain).create(vals_list)
        self._remind_next_visits()
