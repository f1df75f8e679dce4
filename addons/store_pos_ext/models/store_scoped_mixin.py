from odoo import api, fields, models

# The groups of every Store Chain role (HQ analysts do not inherit the store user group). A field of
# a core model that points to a chain-only model carries them: core's POS reads every field of its
# orders as a plain POS user, who may not read chain records.
CHAIN_ROLES = "store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst"


class StoreScopedMixin(models.AbstractModel):
    """Inherit this on any model whose records belong to one store.

    It adds ``store_id`` (defaulting to the user's current store) and a stored ``region_id``.
    The mixin gives the field; the isolation itself is two record rules per model, written the
    same way for every model (see ``security/store_pos_ext_security.xml`` for the ``store.store``
    pair and README "Store-scoped models"): one for ``group_store_user`` on
    ``[('store_id', 'in', user.allowed_store_ids.ids)]`` and one for ``group_hq_analyst`` on
    ``[(1, '=', 1)]``. ``tests/store_chain_tests`` fails for any model inheriting this mixin
    that lacks either rule, and (``test_store_scope.py``) for any whose create or write by a store
    user may point at another store's record. A write by a store user that would move a record
    into another store is refused by ``store.scope.guard``, which the mixin inherits.
    """

    _name = "store.scoped.mixin"
    _inherit = ["store.scope.guard"]
    _description = "Store-scoped record"

    store_id = fields.Many2one(
        "store.store",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self._default_store_id(),
    )
    region_id = fields.Many2one("store.region", related="store_id.region_id", store=True, index=True)

    @api.model
    def _default_store_id(self):
        return self.env.user.store_id
