from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.store_pos_ext.models.pos_order import editing_paid_orders
from odoo.addons.store_pos_ext.models.server_guard import server_write

PRECISION = 2


class StoreMemberMerge(models.TransientModel):
    """HQ merge of duplicate members into one.

    Balances move through the ledger API, never by writing points: for every open batch of a
    duplicate's chain card (what is left of a credit), the duplicate's card gets an adjustment
    debit and the surviving card an adjustment credit of the same amount, booked to the store that
    issued the batch and keeping its expiry date and principal/bonus part. So both cards' ledgers
    stay immutable and balanced (each card's balance is still the sum of its lines), inter-store
    settlement and expiry still know where and when the value was issued, and the duplicate's own
    history stays untouched on its (archived) card.
    """

    _name = "store.member.merge"
    _description = "Merge duplicate members"

    dst_partner_id = fields.Many2one(
        "res.partner",
        "Surviving member",
        required=True,
        domain="[('is_member', '=', True)]",
        help="Keeps its name and mobile; receives the balances, orders and coupons of the duplicates.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Duplicates",
        domain="[('is_member', '=', True), ('id', '!=', dst_partner_id)]",
        help="Archived after the merge; their member numbers and mobiles are freed.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get("active_model") == "res.partner":
            members = (
                self.env["res.partner"].browse(ctx.get("active_ids") or [ctx.get("active_id")]).exists()
            ).filtered("is_member")
            if members:
                first = members.sorted(lambda p: (p.member_number or "~", p.id))[:1]
                dst = first if len(members) > 1 else members
                res.setdefault("dst_partner_id", dst.id)
                res.setdefault("partner_ids", [Command.set((members - dst).ids)])
        return res

    # ------------------------------------------------------------------ checks
    def _check_merge(self):
        self.ensure_one()
        if not self.env.user.has_group("store_membership.group_member_admin"):
            raise AccessError(self.env._("Only HQ member admins can merge members."))
        dst, dups = self.dst_partner_id, self.partner_ids
        if not dups or dups == dst or dst in dups:
            raise UserError(
                self.env._("Choose at least one other member to merge into %s.", dst.display_name)
            )
        if not all((dst | dups).mapped("is_member")):
            raise UserError(
                self.env._("Only members can be merged here; use the contact merge for other contacts.")
            )
        if not dst.active:
            raise UserError(self.env._("The surviving member is archived."))

    # ------------------------------------------------------------------ merge
    def action_merge(self):
        self._check_merge()
        dst = self.dst_partner_id.sudo()
        dups = self.partner_ids.sudo()
        # Lock the members in id order: a second merge (or a till registering a card) waits.
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE", [tuple((dst | dups).ids)]
        )
        numbers = {p: p.member_number for p in dst | dups}
        earliest = min((dst | dups).filtered("member_number"), key=lambda p: (p.member_number, p.id))
        dst_cards = dst._store_member_cards()
        for dup in dups:
            self._merge_cards(dup, dst, dst_cards)
        self._merge_orders_and_coupons(dups, dst)

        missing = {
            name: dups.filtered(name)[:1][name]
            for name in ("member_birthday", "member_gender", "home_store_id", "email")
            if not dst[name] and dups.filtered(name)
        }
        dups.write(
            {
                "active": False,
                "member_number": False,
                "member_mobile": False,
                "is_member": False,
            }
        )
        dups.flush_recordset()  # the kept number is freed before the survivor takes it
        vals = {
            name: value.id if isinstance(value, models.BaseModel) else value
            for name, value in missing.items()
        }
        if earliest != dst:
            vals["member_number"] = numbers[earliest]
        if vals:
            dst.write(vals)
        self.env["store.member.tier"]._store_tier_for(dst)

        # Logged in the company's language, whoever merges.
        env = self.with_context(lang=self.env.company._store_lang()).env
        merged = ", ".join(f"{p.name} ({numbers[p]})" for p in dups)
        dst.message_post(
            body=env._(
                "Members merged into this one by %(user)s: %(merged)s. Member number kept: %(number)s.",
                user=self.env.user.name,
                merged=merged,
                number=dst.member_number,
            ),
            author_id=self.env.user.partner_id.id,
        )
        for dup in dups:
            dup.message_post(
                body=env._(
                    "Merged into %(member)s (%(number)s) by %(user)s; balances moved through the ledger.",
                    member=dst.name,
                    number=dst.member_number,
                    user=self.env.user.name,
                ),
                author_id=self.env.user.partner_id.id,
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": dst.id,
            "view_mode": "form",
            "target": "current",
        }

    def _merge_cards(self, dup, dst, dst_cards):
        """Move each chain card balance of ``dup`` onto ``dst``'s card of the same program, batch
        by batch, through ``_store_debit``/``_store_credit`` (adjustment lines, unique keys)."""
        # The ledger's reason in the company's language, whoever merges.
        reason = self.with_context(lang=self.env.company._store_lang()).env._(
            "Member merge: %(dup)s → %(dst)s",
            dup=dup.member_number or dup.name,
            dst=dst.member_number or dst.name,
        )
        for role, card in dup._store_member_cards(create=False).items():
            target = dst_cards.get(role)
            if not target:
                continue
            card._store_lock()
            if float_compare(card.points, 0.0, PRECISION) < 0:
                # A refund took back points already spent: the debt follows the member.
                debt = -card.points
                card._store_credit("adjust", debt, key=f"merge-in:{card.id}:debt", reason=reason)
                target._store_debit(
                    "adjust", debt, key=f"merge-out:{card.id}:debt", reason=reason, allow_negative=True
                )
            for batch in card._store_open_batches():
                amount = batch.remaining
                if float_is_zero(amount, PRECISION):
                    continue
                # FIFO takes this very batch: the earlier ones are already empty.
                card._store_debit(
                    "adjust", amount, store=batch.origin_store_id, key=f"merge-out:{batch.id}", reason=reason
                )
                target._store_credit(
                    "adjust",
                    amount,
                    store=batch.origin_store_id,
                    key=f"merge-in:{batch.id}",
                    reason=reason,
                    expire_date=batch.expire_date,
                    sv_part=batch.sv_part,
                )
            rest = card.points
            if not float_is_zero(rest, PRECISION):
                # Value without an open batch (rounding left-overs): moved as one pair.
                card._store_debit("adjust", rest, key=f"merge-out:{card.id}:rest", reason=reason)
                target._store_credit(
                    "adjust",
                    rest,
                    key=f"merge-in:{card.id}:rest",
                    reason=reason,
                    expire_date=target._store_expire_date(),
                )
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("partner_id", "=", dup.id), ("store_chain_role", "!=", False)])
        )
        with server_write():  # emptied above through the ledger; archived by the server only
            cards.write({"active": False})

    def _merge_orders_and_coupons(self, dups, dst):
        """POS orders (spend for the tier, receipts) and the duplicates' other coupons go to ``dst``."""
        with editing_paid_orders():  # the same member: paid orders may follow
            self.env["pos.order"].sudo().search([("partner_id", "in", dups.ids)]).write(
                {"partner_id": dst.id}
            )
        self.env["loyalty.card"].sudo().search(
            [("partner_id", "in", dups.ids), ("program_id.store_chain_role", "=", False)]
        ).write({"partner_id": dst.id})
