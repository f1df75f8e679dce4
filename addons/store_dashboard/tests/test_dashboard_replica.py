import json
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import api
from odoo.service import model as service_model
from odoo.tests import HttpCase, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon

from .test_dashboard_views import add_sales_facts


@tagged("post_install", "-at_install")
class TestDashboardReadReplica(StoreCommon, HttpCase):
    """The dashboards' reads run on a read-only cursor, as they would on a read replica.

    With ``db_replica_host`` (or ``--dev=replica`` on one server), Odoo serves a request whose
    route is read-only (``/web/dataset/call_kw`` of an ``@api.readonly`` method, a
    ``readonly=True`` route) on a cursor of the replica pool; if the request writes, PostgreSQL
    refuses it (ReadOnlySqlTransaction) and Odoo serves it again on the primary, with a warning
    only (``odoo/http.py``, ``Request._serve_db``). Under test, an HttpCase gets the same routing:
    the readonly cursor is a test cursor in a ``READ ONLY`` transaction
    (``odoo/tests/test_cursor.py``). ``_call`` records the cursor of each attempt: a read that
    needed the primary is a failure here, so a write hidden in a read path is caught."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_sales_facts(
            cls.env,
            cls.store_a,
            [(date.today(), 11, {"order_count": 7, "revenue": 700.0, "non_member_order_count": 7})],
        )
        cls.hq = cls.env.ref("store_dashboard.spreadsheet_dashboard_hq")

    @contextmanager
    def _cursors(self):
        """The ``readonly`` flag of the cursor of each attempt to serve the requests."""
        modes, retrying = [], service_model.retrying

        def recording(func, env):
            modes.append(env.cr.readonly)
            return retrying(func, env)

        with patch.object(service_model, "retrying", recording):
            yield modes

    def _call(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over RPC as the web client calls it; fails unless it
        was served on the read-only cursor alone."""
        payload = {"params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs}}
        with self._cursors() as modes:
            response = self.url_open(
                f"/web/dataset/call_kw/{model}.{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        self.assertEqual(modes, [True], f"{model}.{method} did not run on the read-only cursor alone")
        return body["result"]

    def test_dashboard_reads_need_no_primary(self):
        self.authenticate(self.analyst.login, self.analyst.login)
        Fact = "store.sales.fact"
        # the dashboard's spreadsheet (a readonly route)
        with self._cursors() as modes:
            response = self.url_open(f"/spreadsheet/dashboard/data/{self.hq.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("pivots", response.json()["snapshot"])
        self.assertEqual(modes, [True])
        # its pivots, charts and the analyses' grouped views
        groups = self._call(
            Fact, "formatted_read_grouping_sets", [], [["store_id"], []], ["order_count:sum", "revenue:sum"]
        )
        by_store, (total,) = groups
        self.assertIn(
            [self.store_a.id, self.store_a.display_name, 7],
            [[*g["store_id"], g["order_count:sum"]] for g in by_store],
        )
        self.assertEqual(total["order_count:sum"], sum(g["order_count:sum"] for g in by_store))
        self._call(Fact, "formatted_read_group", [], ["date:day"], ["revenue:sum"])
        self._call(Fact, "web_read_group", [], ["hour"], ["order_count:sum"])
        self._call(Fact, "web_search_read", [], {"store_id": {}, "order_count": {}}, limit=10)
        # the KPIs of store.dashboard (of the test's region: the other companies' stores of the
        # database are not the test user's)
        today = date.today().isoformat()
        region = self.region_east.id
        kpis = self._call("store.dashboard", "get_kpis", today, today, region_id=region)
        self.assertEqual(next(k for k in kpis["kpis"] if k["key"] == "order_count")["value"], 7)
        self._call("store.dashboard", "get_heatmap", today, today, region_id=region)

    def test_a_write_in_a_read_path_is_caught(self):
        """A read that writes (here a cached figure in a system parameter) is refused on the
        read-only cursor and served again on the primary: ``_call`` fails on it."""

        @api.model
        @api.readonly
        def dashboard_probe(self):
            self.env["ir.config_parameter"].sudo().set_param("store_dashboard.probe", "written")
            return self.search_count([])

        self.authenticate(self.analyst.login, self.analyst.login)
        Fact = type(self.env["store.sales.fact"])
        with (
            patch.object(Fact, "dashboard_probe", dashboard_probe, create=True),
            self.assertLogs("odoo.http", "WARNING") as logs,
            self.assertLogs("odoo.sql_db", "ERROR"),  # the refused INSERT
            self.assertRaisesRegex(AssertionError, "did not run on the read-only cursor alone"),
        ):
            self._call("store.sales.fact", "dashboard_probe")
        self.assertIn("read-only transaction", "\n".join(logs.output))
        self.assertEqual(self.env["ir.config_parameter"].get_param("store_dashboard.probe"), "written")
