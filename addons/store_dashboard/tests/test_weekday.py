import importlib.util
from datetime import date
from pathlib import Path

from odoo.tests import tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon

from .test_dashboard_views import add_sales_facts

MIGRATIONS = Path(__file__).parents[1] / "migrations" / "19.0.1.1.0"


def load_migration(name):
    spec = importlib.util.spec_from_file_location(
        f"store_dashboard_{name}_19_0_1_1_0", MIGRATIONS / f"{name}.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@tagged("post_install", "-at_install")
class TestWeekday(StoreCommon):
    """The sales facts' weekday reads as a name (translated) in pivots, graphs and lists, not as
    a number; the heatmap still gives numbers (0 = Monday); the update from 19.0.1.0.0 turns the
    stored numbers into the selection's keys."""

    def _column_type(self):
        self.env.cr.execute(
            """SELECT udt_name FROM information_schema.columns
                WHERE table_name = 'store_sales_fact' AND column_name = 'weekday'"""
        )
        return self.env.cr.fetchone()[0]

    def test_the_weekday_reads_as_a_translated_name(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["store_dashboard"], ["zh_CN"], overwrite=True)
        Fact = self.env["store.sales.fact"]
        self.assertEqual(Fact._fields["weekday"].type, "selection")
        names = dict(Fact.with_context(lang="zh_CN").fields_get(["weekday"])["weekday"]["selection"])
        self.assertEqual(
            [names[str(day)] for day in range(7)], ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        )
        tuesday = date(2026, 10, 6)
        add_sales_facts(self.env, self.store_a, [(tuesday, 12, {"order_count": 3})])
        groups = Fact.with_context(lang="zh_CN").formatted_read_group(
            [("store_id", "=", self.store_a.id)], ["weekday"], ["order_count:sum"]
        )
        self.assertEqual([(g["weekday"], g["order_count:sum"]) for g in groups], [("1", 3)])
        heatmap = self.env["store.dashboard"].get_heatmap(
            "2026-10-06", "2026-10-06", store_id=self.store_a.id
        )
        self.assertEqual(heatmap, [[1, 12, 3]])

    def test_the_server_writes_the_weekday_of_the_local_date(self):
        """The facts the server computes (a Tuesday sale at noon in China)."""
        config = self.store_a.pos_config_ids[:1]
        config.open_ui()
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
        data["date_order"] = "2026-10-06 04:00:00"
        self._sync(data)
        self.env["store.sales.fact"]._rebuild(date(2026, 10, 6), date(2026, 10, 6), self.store_a.ids)
        fact = self.env["store.sales.fact"].search([("store_id", "=", self.store_a.id)])
        self.assertEqual((fact.date, fact.hour, fact.weekday), (date(2026, 10, 6), 12, "1"))

    def test_migration_turns_the_numbers_into_keys(self):
        add_sales_facts(
            self.env, self.store_a, [(date(2026, 10, 4 + day), 10, {"order_count": 1}) for day in range(7)]
        )
        self.env.flush_all()
        # the table as 19.0.1.0.0 left it: an integer column
        self.env.cr.execute("ALTER TABLE store_sales_fact ALTER COLUMN weekday TYPE int4 USING weekday::int4")
        self.assertEqual(self._column_type(), "int4")
        script = load_migration("pre-migrate")
        script.migrate(self.env.cr, "19.0.1.0.0")
        self.assertEqual(self._column_type(), "varchar")
        script.migrate(self.env.cr, "19.0.1.0.0")  # a second run changes nothing
        self.env.invalidate_all()
        facts = self.env["store.sales.fact"].search([("store_id", "=", self.store_a.id)])
        self.assertEqual({(f.date.weekday(), f.weekday) for f in facts}, {(d, str(d)) for d in range(7)})

    def test_the_update_takes_the_first_stock_snapshot(self):
        Fact = self.env["store.stock.day.fact"]
        stores = self.store_a | self.store_b | self.store_c
        self.assertFalse(Fact.search([("store_id", "in", stores.ids)]))
        self.env.flush_all()
        load_migration("post-migrate").migrate(self.env.cr, "19.0.1.0.0")
        facts = Fact.search([("store_id", "in", stores.ids)])
        self.assertEqual(facts.store_id, stores, "a row per store with a warehouse")
        self.assertEqual(set(facts.mapped("qty_on_hand")), {0.0}, "new stores hold nothing yet")
