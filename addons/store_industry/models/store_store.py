from odoo import Command, api, models
from odoo.exceptions import AccessError
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

# The industry packs (行业方案): what a store of each industry starts with. Records are made once
# per company (POS categories once for the chain: they have no company) and known again by their
# external id in PACK_MODULE, so applying a pack twice makes nothing twice, and a record archived or
# edited by the chain stays as it is. A pack with ``restrict`` limits its stores' POS to the pack's
# categories (as core's own POS onboarding scenarios do for a clothes or bakery shop); a
# supermarket's POS sells everything and keeps every category.
PACK_MODULE = "store_industry_pack"
PACKS = {
    "beauty": {
        "restrict": True,
        "categories": {"beauty_care": _lt("Beauty Treatments"), "beauty_retail": _lt("Skin Care Products")},
        "products": [
            (_lt("Deep Cleansing Facial"), "beauty_facial", "service", 198.0, "beauty_care"),
            (_lt("Hydrating Facial"), "beauty_hydrating", "service", 298.0, "beauty_care"),
            (_lt("Neck and Shoulder Massage"), "beauty_shoulder", "service", 168.0, "beauty_care"),
            (_lt("Hydrating Sheet Mask (5 pcs)"), "beauty_mask", "consu", 99.0, "beauty_retail"),
        ],
        "sop": (
            _lt("Beauty Salon Opening Check"),
            "beauty_opening",
            "opening",
            [
                (_lt("Instruments disinfected"), "check"),
                (_lt("Towels and bed linen changed"), "check"),
                (_lt("Treatment products within their expiry date"), "check"),
                (_lt("Treatment room temperature"), "number", 22.0, 28.0, "°C"),
            ],
        ),
    },
    "fitness": {
        "restrict": True,
        "categories": {"fitness_class": _lt("Fitness Classes"), "fitness_supply": _lt("Sports Supplies")},
        "products": [
            (_lt("Group Class (single)"), "fitness_group_class", "service", 60.0, "fitness_class"),
            (_lt("Personal Training Session"), "fitness_personal", "service", 300.0, "fitness_class"),
            (_lt("Sports Drink"), "fitness_drink", "consu", 8.0, "fitness_supply"),
        ],
        "sop": (
            _lt("Gym Opening Check"),
            "fitness_opening",
            "opening",
            [
                (_lt("Equipment safety check done"), "check"),
                (_lt("Locker rooms and showers clean"), "check"),
                (_lt("First-aid kit and AED in place"), "check"),
            ],
        ),
    },
    "restaurant": {
        "restrict": True,
        "categories": {"cafe_drinks": _lt("Drinks"), "cafe_food": _lt("Food")},
        "products": [
            (_lt("Americano"), "cafe_americano", "consu", 22.0, "cafe_drinks"),
            (_lt("Latte"), "cafe_latte", "consu", 28.0, "cafe_drinks"),
            (_lt("Croissant"), "cafe_croissant", "consu", 15.0, "cafe_food"),
        ],
        "sop": (
            _lt("Restaurant Opening Check"),
            "restaurant_opening",
            "opening",
            [
                (_lt("Kitchen clean and tidy"), "check"),
                (_lt("Refrigerator temperature"), "number", 0.0, 5.0, "°C"),
                (_lt("Tableware disinfected"), "check"),
            ],
        ),
    },
    "supermarket": {
        "restrict": False,
        "categories": {"fresh": _lt("Fresh Food")},
        "products": [],
        "sop": (
            _lt("Fresh Counter Check"),
            "supermarket_fresh",
            "daily",
            [
                (_lt("Chiller temperature"), "number", 0.0, 5.0, "°C"),
                (_lt("Near-expiry products marked down or removed"), "check"),
            ],
        ),
    },
}


class StoreStore(models.Model):
    _inherit = "store.store"

    @api.model_create_multi
    def create(self, vals_list):
        stores = super().create(vals_list)
        stores._store_apply_industry_pack()
        return stores

    def write(self, vals):
        res = super().write(vals)
        if "industry" in vals:
            self._store_apply_industry_pack()
        return res

    def action_store_apply_industry_pack(self):
        """Apply the stores' industry packs again (HQ): what is missing is made again, nothing twice."""
        if not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            raise AccessError(self.env._("Only HQ administrators can apply an industry pack."))
        self.check_access("write")
        self._store_apply_industry_pack()
        return True

    def _store_apply_industry_pack(self):
        """Give each store what its industry starts with (``PACKS``): the pack's POS categories, its
        services and products and its SOP checklist template in the store's company, and — for a
        pack that restricts — the pack's categories on the store's POS. Idempotent: a store whose
        pack is in place is left as it is. What was done is noted on the store, in the company's
        language. Not with ``store_no_industry_pack`` in the context (the demo, which brings its own)."""
        if self.env.context.get("store_no_industry_pack"):
            return
        for store in self.sudo():
            pack = PACKS.get(store.industry)
            if not pack or not store.company_id:
                continue
            store = store.with_context(lang=store.company_id._store_lang())
            done = []
            categories = {}
            for key, label in pack["categories"].items():
                category, created = store._store_pack_record("pos.category", f"categ_{key}", label, {})
                if created:
                    done.append(store.env._("POS category %s", category.name))
                categories[key] = category
            for label, key, kind, price, categ in pack["products"]:
                values = {
                    "type": kind,
                    "list_price": price,
                    "available_in_pos": True,
                    "pos_categ_ids": [Command.set(categories[categ].ids)],
                    "company_id": store.company_id.id,
                }
                product, created = store._store_pack_record(
                    "product.template", f"{key}_c{store.company_id.id}", label, values
                )
                if created:
                    done.append(store.env._("product %s", product.name))
            template = store._store_pack_sop(*pack["sop"])
            if template:
                done.append(store.env._("SOP checklist %s", template.name))
            if pack["restrict"]:
                pack_categories = self.env["pos.category"].union(*categories.values())
                for config in store.pos_config_ids:
                    missing = pack_categories - config.iface_available_categ_ids
                    if config.limit_categories and not missing:
                        continue
                    config.write(
                        {
                            "limit_categories": True,
                            "iface_available_categ_ids": [Command.link(c.id) for c in missing],
                        }
                    )
                    done.append(store.env._("the product categories of %s", config.name))
            if done:
                industries = dict(store._fields["industry"]._description_selection(store.env))
                store.message_post(
                    body=store.env._(
                        "Industry pack %(industry)s applied: %(done)s.",
                        industry=industries[store.industry],
                        done=", ".join(done),
                    )
                )

    def _store_pack_record(self, model, name, label, values):
        """(record, created) of the pack's record known as ``PACK_MODULE.name``: found (archived
        too), or made from ``values`` named ``label`` (English, translated in every active
        language) and known so from then on."""
        self.ensure_one()
        xmlid = f"{PACK_MODULE}.{name}"
        record = self.env.ref(xmlid, raise_if_not_found=False)
        if record:
            return record, False
        record = self.env[model].sudo().create({**values, "name": self.env._(label)})
        self._set_translated(record, "name", label)
        self.env["ir.model.data"].sudo().create(
            {"module": PACK_MODULE, "name": name, "model": model, "res_id": record.id, "noupdate": True}
        )
        return record, True

    def _store_pack_sop(self, label, key, schedule, items):
        """The pack's SOP checklist template (scope: the store's industry) for the store's company,
        with its items: made once per company, and only if the company has no active checklist of
        that industry of its own; False when nothing was made."""
        self.ensure_one()
        own = (
            self.env["store.sop.template"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("scope", "=", "industry"),
                    ("industry", "=", self.industry),
                ],
                limit=1,
            )
        )
        if own:
            return False
        values = {
            "company_id": self.company_id.id,
            "scope": "industry",
            "industry": self.industry,
            "schedule": schedule,
        }
        template, created = self._store_pack_record(
            "store.sop.template", f"{key}_c{self.company_id.id}", label, values
        )
        if not created:
            return False
        for sequence, (item_label, kind, *limits) in enumerate(items, 1):
            item = (
                self.env["store.sop.template.item"]
                .sudo()
                .create(
                    {
                        "template_id": template.id,
                        "sequence": sequence,
                        "kind": kind,
                        "name": self.env._(item_label),
                        **(
                            {
                                "use_range": True,
                                "min_value": limits[0],
                                "max_value": limits[1],
                                "unit": limits[2],
                            }
                            if limits
                            else {}
                        ),
                    }
                )
            )
            self._set_translated(item, "name", item_label)
        return template
