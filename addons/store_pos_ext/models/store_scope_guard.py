from odoo import api, models, tools
from odoo.exceptions import AccessError


class StoreScopeGuard(models.AbstractModel):
    """Inherit this on every model with a record rule confining store users to their stores.

    Record rules check a record before it is written, not after: without this guard a store user
    could write a field that decides the record's store (an order's session, a session's POS, a
    POS's store) and move a record of their store into another one. After a write by a user
    confined to stores (a store role, not HQ, not superuser) that touches such a field, the
    records must still be writable to that user under the record rules, or the write is refused
    (the request is rolled back). The fields are those the user's write rules read (their first
    step) and the fields those are computed from (an order's POS comes from its session), so a
    rule is the one place that says what decides a record's store. A stored copy of a store
    record (an order's ``store_id``, related to its POS's; a payment's session, from its order)
    cannot be written another value either. Users without a Store Chain role keep core's
    behaviour. ``tests/store_chain_tests`` (``test_store_scope.py``) fails for a
    model with a store users' rule that does not inherit this.
    """

    _name = "store.scope.guard"
    _description = "Store scope kept on write"

    def write(self, vals):
        confined = self and not self.env.su and self._store_confined_user()
        if confined:
            self._check_store_copies(vals)
        res = super().write(vals)
        if confined:
            moved = self._store_scope_fields() & vals.keys()
            if moved:
                self._check_store_scope_kept(moved)
        return res

    @api.model
    def _store_confined_user(self):
        """Whether the current user is confined to their stores by the record rules."""
        user = self.env.user
        return user.has_group("store_pos_ext.group_store_user") and not user.has_group(
            "store_pos_ext.group_hq_analyst"
        )

    @api.model
    @tools.ormcache("self.env.uid")
    def _store_scope_fields(self):
        """Names of the fields deciding which store a record of this model belongs to, for the
        current user: the first step of every field path of their write rules, with the fields
        those stored computed fields depend on. Cached per user (the registry cache is cleared when
        record rules or a user's groups change): it is asked on every write of an order, line,
        payment or stock move by a cashier."""
        domain = self.env["ir.rule"]._compute_domain(self._name, "write")
        names = {condition.field_expr.split(".", 1)[0] for condition in domain.iter_conditions()}
        todo = list(names)
        while todo:
            field = self._fields.get(todo.pop())
            if not (field and field.store and field.compute):  # related fields are computed too
                continue
            for path in self.pool.field_depends[field]:
                name = path.split(".", 1)[0]
                if name not in names and name in self._fields:
                    names.add(name)
                    todo.append(name)
        return frozenset(names)

    def _check_store_copies(self, vals):
        """Refuse writing another value into a stored copy of the record's store, region or other
        store record (a readonly related field such as an order's ``store_id`` from its POS, a
        payment's session from its order): the ORM stores the value as written, and the record
        would count for another store, or session, than the one it belongs to."""
        for name in vals.keys() & self._store_copy_fields():
            value = vals[name] or False
            if any(record[name].id != value for record in self):
                field = self._fields[name]
                source = self._fields[field.related.split(".", 1)[0]]
                raise AccessError(
                    self.env._(
                        "%(field)s follows from %(origin)s and cannot be written.",
                        field=field.get_description(self.env)["string"],
                        origin=source.get_description(self.env)["string"],
                    )
                )

    @api.model
    @tools.ormcache()
    def _store_copy_fields(self):
        """Names of the stored related fields, not written through, holding the record's store,
        region or another record kept in a store (one with this guard)."""
        return frozenset(
            name
            for name, field in self._fields.items()
            if field.type == "many2one"
            and field.store
            and field.related
            and not field.inverse
            and (
                field.comodel_name in ("store.store", "store.region")
                or hasattr(self.env[field.comodel_name], "_check_store_scope_kept")
            )
        )

    def _check_store_scope_kept(self, fnames):
        """Refuse the write of ``fnames`` if it took some of these records out of the current
        user's stores (they are no longer writable to them)."""
        lost = self - self._filtered_access("write")
        if lost:
            raise AccessError(
                self.env._(
                    "You cannot move %(records)s out of your stores: %(fields)s would put it in a "
                    "store you do not work in.",
                    records=", ".join(lost.sudo().mapped("display_name")[:3]),
                    fields=", ".join(
                        sorted(self._fields[name].get_description(self.env)["string"] for name in fnames)
                    ),
                )
            )
