from contextlib import contextmanager, suppress
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.store_membership.tests.common import MemberCommon
from odoo.addons.store_pos_ext.models.server_guard import server_write

# People are assigned to stores, their records are not owned by one (as in test_install); a region
# holds several stores.
NOT_STORE_RECORDS = ("res.users", "hr.employee", "hr.employee.public", "store.region")
# Models with a store users' rule that need no store.scope.guard: a store and a region are the
# scope itself (their rules name their own ids and users).
SCOPE_ITSELF = ("store.store", "store.region")
# The fields of POS records that decide their store (written directly or, for a related store_id,
# through to the POS they belong to).
POS_STORE_FIELDS = {
    "pos.config": ("store_id",),
    "pos.session": ("config_id", "store_id"),
    "pos.order": ("session_id", "config_id", "store_id"),
    "pos.order.line": ("order_id",),
    "pos.payment": ("pos_order_id", "session_id"),
    "stock.picking": ("picking_type_id",),
}


class _Undo(Exception):
    pass


@tagged("post_install", "-at_install")
class TestStoreScopedWrites(MemberCommon):
    """Every model using ``store.scoped.mixin`` refuses a store user's create or write that points
    at another store's record (the store, a POS, session, order, order line, checklist): the call
    raises (access rights, record rules, the model's own guard) and nothing of store B is written.
    A model that derives a field from another (a handover note belongs to its session's store,
    whatever store the caller names) may instead store store A's value. A new model using the
    mixin needs a builder below, and a new kind of store record pointed at needs its records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["store.sop.template"].create({"name": "测试开店检查", "schedule": "daily"})
        cls.employee = cls.env["hr.employee"].create({"name": "测试员工", "store_id": cls.store_a.id})
        today = fields.Date.context_today(cls.env.user)
        # Store A's and store B's record of each kind a store-scoped model may point at.
        cls.pairs = {}
        for store in (cls.store_a, cls.store_b):
            order = cls._sell(store)
            checklist = cls.env["store.checklist"].create(
                {"store_id": store.id, "template_id": cls.template.id, "date": today}
            )
            cash = store.pos_config_ids[:1].payment_method_ids.filtered("is_cash_count")[:1]
            payment = cls.env["pos.payment"].create(
                {"pos_order_id": order.id, "amount": 1.0, "payment_method_id": cash.id}
            )
            warehouse = store.warehouse_id
            picking = cls.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                }
            )
            records = [store]
            if "store.stock.threshold" in cls.env:  # store_stock: a store's own threshold
                records.append(
                    cls.env["store.stock.threshold"].create(
                        {
                            "scope": "store",
                            "store_id": store.id,
                            "product_id": cls.product.id,
                            "min_qty": 1,
                            "max_qty": 2,
                        }
                    )
                )
            if "store.class.session" in cls.env:  # store_industry: a class of the store
                start = fields.Datetime.now() + timedelta(days=1)
                records.append(
                    cls.env["store.class.session"].create(
                        {
                            "store_id": store.id,
                            "name": "测试团课",
                            "start": start,
                            "stop": start + timedelta(hours=1),
                        }
                    )
                )
            for record in (
                *records,
                store.pos_config_ids[:1],
                order.session_id,
                order,
                order.lines[:1],
                checklist,
                payment,
                picking,
                warehouse.int_type_id,
            ):
                cls.pairs.setdefault(record._name, []).append(record)
        cls.today = today

    def _vals(self, model, a):
        """Valid values of a record of ``model`` in store A (``a``: store A's record of each kind)."""
        common = {"store_id": a["store.store"].id}
        builders = {
            "store.checklist": lambda: {
                "template_id": self.template.id,
                "date": self.today - timedelta(days=1),
                "session_id": a["pos.session"].id,
            },
            "store.price.change": lambda: {
                "order_id": a["pos.order"].id,
                "line_id": a["pos.order.line"].id,
                "product_id": self.product.id,
                "state": "flagged",
            },
            "store.staff.score": lambda: {
                "employee_id": self.employee.id,
                "month": self.today.replace(day=1),
            },
            "store.shift.handover": lambda: {"session_id": a["pos.session"].id, "note": "交班"},
            "store.member.hold": lambda: {
                "card_id": self._card(self.member).id,
                "partner_id": self.member.id,
                "kind": "points",
                "amount": 1,
                "order_uuid": "meta-test",
                "config_id": a["pos.config"].id,
                "session_id": a["pos.session"].id,
                "pos_order_id": a["pos.order"].id,
                "expire_at": fields.Datetime.now() + timedelta(minutes=15),
            },
            "store.stock.replenishment": lambda: {"product_id": self.product.id, "suggested_qty": 1},
            # store_stock: alerts are written by the alert job (in SQL) and read by store users
            "store.stock.alert": lambda: {"kind": "below_min", "product_id": self.product.id},
            # store_stock: written by the server only (store users read it; HQ admins write it)
            "store.stock.transfer.suggestion": lambda: {
                "source_store_id": a["store.store"].id,
                "product_id": self.product.id,
                "quantity": 1.0,
            },
            # store_dashboard: facts written by the server only (in SQL); users read them
            "store.sales.fact": lambda: {"date": self.today, "hour": 9},
            "store.member.month.fact": lambda: {
                "partner_id": self.member.id,
                "month": self.today.replace(day=1),
            },
            "store.employee.day.fact": lambda: {"employee_id": self.employee.id, "date": self.today},
            "store.stock.day.fact": lambda: {"date": self.today},
            # store_industry: near-expiry markdowns are written by the daily job; users apply them
            "store.markdown.proposal": lambda: {
                "product_id": self.product.id,
                "lot_id": self._lot().id,
                "percent": 30.0,
            },
            # store_industry: a beauty care record of a member in the store
            "store.care.record": lambda: {"partner_id": self.member.id},
            # store_industry: a fitness class of the store, and a member's booking of it
            "store.class.session": lambda: {
                "name": "测试团课",
                "start": fields.Datetime.now() + timedelta(days=2),
                "stop": fields.Datetime.now() + timedelta(days=2, hours=1),
            },
            "store.class.booking": lambda: {
                "session_id": a["store.class.session"].id,
                "partner_id": self.member.id,
            },
        }
        self.assertIn(model, builders, f"{model} uses store.scoped.mixin: give it a builder here")
        return {**common, **builders[model]()}

    def _lot(self):
        return self.env["stock.lot"].create({"name": "测试批次", "product_id": self.product.id})

    def _store_bound(self, comodel):
        Model = self.env[comodel]
        field = Model._fields.get("store_id")
        return comodel not in NOT_STORE_RECORDS and (
            comodel == "store.store"
            or comodel in self.pairs
            or (field and field.type == "many2one" and field.comodel_name == "store.store" and field.store)
        )

    def _pointers(self, model):
        """The stored many2one fields of ``model`` that point at a store's record."""
        pointers = [
            name
            for name, field in self.env[model]._fields.items()
            if field.type == "many2one" and field.store and self._store_bound(field.comodel_name)
        ]
        for name in pointers:
            comodel = self.env[model]._fields[name].comodel_name
            self.assertIn(comodel, self.pairs, f"{model}.{name}: add a record of {comodel} per store")
        return pointers

    def _scoped_models(self):
        """Every model of the registry that inherits the mixin."""
        return sorted(
            name
            for name in self.env.registry["store.scoped.mixin"]._inherit_children
            if not self.env[name]._abstract
        )

    @contextmanager
    def _rolled_back(self):
        """Whatever happens inside is undone (a savepoint rolled back), as a refused request is."""
        with suppress(_Undo), self.env.cr.savepoint():
            yield
            raise _Undo
        self.env.invalidate_all()

    def _refused(self, method, *args, check=None):
        """Call ``method(*args)`` and undo it; True if it was refused. If it was not, ``check``
        gets its result before it is undone."""
        try:
            with self._rolled_back():
                result = method(*args)
                self.env.flush_all()
                if check:
                    check(result)
        except UserError:  # AccessError, ValidationError and the models' own UserErrors
            self.env.invalidate_all()
            return True
        return False

    def test_the_meta_test_covers_every_store_scoped_model(self):
        models = self._scoped_models()
        for name in (
            "store.checklist",
            "store.price.change",
            "store.staff.score",
            "store.shift.handover",
            "store.member.hold",
        ):
            self.assertIn(name, models)

    def test_a_store_user_cannot_point_a_store_scoped_record_at_another_store(self):
        a = {kind: records[0] for kind, records in self.pairs.items()}
        b = {kind: records[1] for kind, records in self.pairs.items()}
        users = (self.manager_a, self.cashier_a)
        for model in self._scoped_models():
            vals = self._vals(model, a)
            pointers = self._pointers(model)
            self.assertIn("store_id", pointers)
            for user in users:
                self._check_creates(model, vals, pointers, b, user)
            with self._rolled_back(), server_write():  # balance holds are written by the server only
                own = self.env[model].create(vals)
                for user in users:
                    self._check_writes(own, pointers, b, user)

    def _check_creates(self, model, vals, pointers, b, user):
        """``user`` (of store A) creates a record of ``model`` with ``vals`` (store A's), then with
        each of its ``pointers`` set to store B's record (``b``) instead."""
        As = self.env[model].with_user(user)
        if As.has_access("create"):
            with self.subTest(model=model, user=user.login, call="create in own store"):
                self.assertFalse(self._refused(As.create, vals), "the values are valid for store A")
        for name in pointers:
            other = b[As._fields[name].comodel_name]

            def check(record, name=name, other=other):
                # Not refused: the model must have put its own value instead, store A's.
                self.assertNotEqual(record[name], other, "created pointing at store B's record")
                self.assertEqual(record.store_id, self.store_a)

            with self.subTest(model=model, field=name, user=user.login, call="create"):
                self._refused(As.create, {**vals, name: other.id}, check=check)

    def _check_writes(self, own, pointers, b, user):
        """``user`` (of store A) sets each of the ``pointers`` of ``own`` (a record of store A) to
        store B's record (``b``)."""
        for name in pointers:
            other = b[own._fields[name].comodel_name]
            before = own[name]

            def check(_result, name=name, before=before):
                own.invalidate_recordset()
                self.assertEqual(own[name], before, "written to store B's record")

            with self.subTest(model=own._name, field=name, user=user.login, call="write"):
                self._refused(own.with_user(user).write, {name: other.id}, check=check)

    # ------------------------------------------------------------------ moving POS records
    def _store_user_rule_models(self):
        """The models with a record rule confining store users to their stores."""
        rules = self.env["ir.rule"].search(
            [
                ("groups", "in", self.env.ref("store_pos_ext.group_store_user").ids),
                ("domain_force", "ilike", "allowed_store_ids"),
            ]
        )
        return sorted(
            name
            for name in set(rules.model_id.mapped("model"))
            if name not in SCOPE_ITSELF and self.env[name]._auto  # SQL views are not written
        )

    def test_every_model_with_a_store_users_rule_keeps_its_store_on_write(self):
        models = self._store_user_rule_models()
        for name in ("pos.config", "pos.session", "pos.order", "pos.order.line", "pos.payment"):
            self.assertIn(name, models)
        for name in models:
            with self.subTest(model=name):
                self.assertTrue(
                    hasattr(self.env[name], "_check_store_scope_kept"),
                    f"{name} has a store users' rule: inherit store.scope.guard",
                )

    def _check_not_moved(self, record, name, before):
        """Nothing moved: ``record`` keeps ``before`` in ``name`` and each store keeps its POS."""
        self.env.invalidate_all()
        self.assertEqual(record[name], before, f"{record._name}.{name} written to store B's record")
        for store, config in zip((self.store_a, self.store_b), self.pairs["pos.config"], strict=True):
            self.assertEqual(config.store_id, store, "a POS moved to another store")

    def test_a_store_user_cannot_move_a_pos_record_to_another_store(self):
        """A cashier or store manager of store A writes each field deciding the store of store A's
        POS, session, order, order line, payment and transfer to store B's value: refused
        (AccessError), nothing moved."""
        a = {kind: records[0] for kind, records in self.pairs.items()}
        b = {kind: records[1] for kind, records in self.pairs.items()}
        # A POS of store B without an open session (core allows one open session per POS).
        b["pos.config"] = self.store_b._create_pos_config(name="测试B店2号台")
        for model, names in POS_STORE_FIELDS.items():
            own = a[model]
            for name in names:
                other = b[own._fields[name].comodel_name]
                for user in (self.cashier_a, self.manager_a):
                    with self.subTest(model=model, field=name, user=user.login):
                        self.env.invalidate_all()
                        before = own[name]
                        with self._rolled_back(), self.assertRaises(AccessError):
                            own.with_user(user).write({name: other.id})
                            self.env.flush_all()
                            self._check_not_moved(own, name, before)

    def test_store_users_keep_their_pos_records_in_their_stores(self):
        """Writes that keep a record in the user's stores still work: an order moved to the session
        of another POS of its store. A region manager may not move a POS between their stores (HQ
        decides where a POS is); HQ may. A POS user without a Store Chain role keeps core's
        behaviour."""
        order, session_b = self.pairs["pos.order"][0], self.pairs["pos.session"][1]
        config, config_b = self.pairs["pos.config"]
        second = self.store_a._create_pos_config(name="测试A店2号台")
        second.open_ui()
        order.with_user(self.cashier_a).write({"session_id": second.current_session_id.id})
        self.assertEqual((order.config_id, order.store_id), (second, self.store_a))
        for store in (self.store_b, self.store_a):  # a store POS's settings are HQ's, unchanged or not
            with self._rolled_back(), self.assertRaises(AccessError):
                config.with_user(self.region_mgr).write({"store_id": store.id})
        plain = new_test_user(self.env, login="t_plain_pos", groups="point_of_sale.group_pos_user")
        order.with_user(plain).write({"session_id": session_b.id})
        self.assertEqual(order.store_id, self.store_b, "core: a POS user may move an order")
        config_b.with_user(self.hq_admin).write({"store_id": self.store_c.id})
        self.assertEqual(config_b.store_id, self.store_c)

    def test_order_sync_moves_a_draft_to_the_open_session_of_its_pos(self):
        """Core's sync moves a re-sent draft of a closed session to the open session of its POS
        (its rescue) as the cashier: the store scope lets it, the order stays in its store."""
        session = self._session(self.store_a)
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
        order = self._sync({**data, "state": "draft"}, user=self.cashier_a)
        self.assertEqual(order.session_id, session)
        session.sudo().write({"state": "closed"})  # closed meanwhile (no accounting in this test)
        rescue = self._session(self.store_a)
        self.assertNotEqual(rescue, session)
        order = self._sync(dict(data), user=self.cashier_a)
        self.assertEqual((order.session_id, order.state), (rescue, "paid"))
        self.assertEqual(order.store_id, self.store_a)
