from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    store_chain_role = fields.Selection(
        [("points", "Chain points"), ("stored_value", "Stored value")],
        "Chain role",
        copy=False,
        help="A chain program is one card per member, valid in every store, and its balances are "
        "changed by the server only (from paid orders, top-ups and HQ adjustments).",
    )
    store_point_value = fields.Float(
        "Value of one point (CNY)",
        default=0.01,
        digits=(16, 4),
        help="Used to value points in the inter-store settlement.",
    )
    store_sv_principal_earns = fields.Boolean(
        "Stored value paid earns points",
        default=True,
        help="Goods paid with the principal of stored value (money the member put on the card) "
        "earn points like money. Bonus stored value, points discounts and top-ups never earn.",
    )
    store_points_validity_months = fields.Integer(
        "Points valid for (months)", default=12, help="0: points never expire."
    )
    store_expiry_reminder_days = fields.Integer("Remind before expiry (days)", default=30)
    store_topup_bonus_rule_ids = fields.One2many(
        "store.topup.bonus.rule", "program_id", "Top-up bonus rules", copy=True
    )

    store_birthday_company_ids = fields.One2many(
        "res.company", "store_birthday_program_id", "Birthday coupon of", readonly=True
    )
    store_server_issued = fields.Boolean(
        "Issued by the server only",
        compute="_compute_store_server_issued",
        store=True,
        help="The chain's points and stored value, and a company's birthday coupon: their cards "
        "are created and used up by the server only, never by a POS.",
    )

    _store_chain_role_unique = models.UniqueIndex(
        "(company_id, store_chain_role) WHERE store_chain_role IS NOT NULL AND active",
        "A company has one chain points program and one stored value program.",
    )

    @api.depends("store_chain_role", "store_birthday_company_ids")
    def _compute_store_server_issued(self):
        """Derived from the settings that make the server the issuer: a chain role, or being a
        company's birthday coupon. The POS can neither create these cards nor say how many
        points they have (``pos.order.confirm_coupon_programs``); a paid order's coupon lines
        use them up on the server (``pos.order._store_consume_coupons``)."""
        for program in self:
            program.store_server_issued = bool(program.store_chain_role or program.store_birthday_company_ids)

    @api.constrains("store_chain_role", "program_type")
    def _check_store_chain_role(self):
        expected = {"points": "loyalty", "stored_value": "ewallet"}
        for program in self.filtered("store_chain_role"):
            if program.program_type != expected[program.store_chain_role]:
                raise ValidationError(
                    self.env._(
                        "Chain points need a Loyalty Cards program; stored value needs an eWallet program."
                    )
                )

    # The chain's programs, their rules and rewards are in the change log (auditlog) through these
    # overrides, not an auditlog rule: a rule would patch every program and change core's
    # behaviour (Odoo's loyalty tests fail). Other programs are not logged. Nothing here runs on
    # the POS order sync, which writes cards and ledger lines, never programs.
    @api.model_create_multi
    def create(self, vals_list):
        programs = super().create(vals_list)
        self.env["auditlog.rule"]._store_log_create(programs._store_change_logged())
        return programs

    def write(self, vals):
        if "store_chain_role" in vals:
            changed = self.filtered(lambda p: p.store_chain_role != vals["store_chain_role"])
            if changed and self.env["loyalty.card"].sudo().search_count(
                [("program_id", "in", changed.ids)], limit=1
            ):
                raise UserError(self.env._("The chain role of a program that has cards cannot change."))
        # A program given (or losing) its chain role: that change is logged too.
        return self.env["auditlog.rule"]._store_write_logged(self, vals, "store_chain_role", super().write)

    def unlink(self):
        AuditRule = self.env["auditlog.rule"]
        programs = self._store_change_logged().with_context(active_test=False)
        # Their rules and rewards are deleted with them by the database (not by their unlink).
        deleted = [programs, programs.rule_ids, programs.reward_ids]
        old_values = [AuditRule._store_unlink_values(records) for records in deleted]
        res = super().unlink()
        for records, values in zip(deleted, old_values, strict=True):
            AuditRule._store_log_unlink(records, values)
        return res

    def _store_change_logged(self):
        """Those of these programs whose changes go to the change log: the chain's rules, i.e.
        the server-issued programs (chain points, stored value, a company's birthday coupon)."""
        chain = self.sudo().filtered(lambda p: isinstance(p.id, int) and p.store_server_issued)
        return chain.with_env(self.env)

    def _store_logged_of(self, records):
        """Those of ``records`` (rules or rewards of these programs) whose changes go to the
        change log: those of the chain's programs."""
        programs = self._store_change_logged()
        return records.sudo().filtered(lambda record: record.program_id in programs).with_env(records.env)

    @tools.ormcache("self.id")
    def _store_auto_rules(self):
        """What ``_store_points_for`` needs of this program's automatic rules, read once and
        cached (every member order reads them): ``(rule id, valid product domain, minimum amount,
        its tax mode, minimum quantity, point mode, points)``. A change of the program's rules
        clears the cache (``loyalty.rule`` create, write, unlink)."""
        return tuple(
            (
                rule.id,
                rule._get_valid_product_domain(),
                rule.minimum_amount,
                rule.minimum_amount_tax_mode,
                rule.minimum_qty,
                rule.reward_point_mode,
                rule.reward_point_amount,
            )
            for rule in self.sudo().with_context(active_test=True).rule_ids
            if rule.mode == "auto"
        )

    def _store_points_for(self, lines, paid_share=1.0):
        """Points this chain points program gives for ``lines`` (pos.order.line of one order),
        evaluated from the program's own rules as core's POS counts them (pos_loyalty's
        ``pointsForPrograms``; sale_loyalty's ``_program_check_compute_points`` on the server):
        each automatic rule takes the lines whose product it applies to (products, category
        ``child_of``, tag, domain: ``loyalty.rule._get_valid_product_domain``), needs its minimum
        quantity and its minimum amount (tax included or not), and gives points per order, per
        unit or per CNY.

        ``lines`` are the goods that may earn (the caller leaves out top-ups, rewards and refunds);
        ``paid_share`` is the share of their price the member really paid (money and stored-value
        principal): a rule's amount is that share of its lines' amount, so discounts, points and
        bonus stored value earn nothing. Combo items count in their combo line, as in the POS.
        Returns (points, {rule: amount}) before any tier multiplier."""
        self.ensure_one()
        goods = lines.filtered(lambda line: not line.combo_parent_id)
        amount_incl = {line: line.price_subtotal_incl for line in goods}
        amount_excl = {line: line.price_subtotal for line in goods}
        qty = {line: line.qty for line in goods}
        for item in lines - goods:  # a combo's items: their prices make the combo line's
            if item.combo_parent_id in amount_incl:
                amount_incl[item.combo_parent_id] += item.price_subtotal_incl
                amount_excl[item.combo_parent_id] += item.price_subtotal
        points, amounts = 0.0, {}
        for rule_id, domain, minimum_amount, tax_mode, minimum_qty, mode, per in self._store_auto_rules():
            valid = goods.product_id.filtered_domain(domain)
            matched = goods.filtered(lambda line, valid=valid: line.product_id in valid)
            if not matched:
                continue
            rule = self.env["loyalty.rule"].browse(rule_id)
            incl = sum(amount_incl[line] for line in matched) * paid_share
            excl = sum(amount_excl[line] for line in matched) * paid_share
            if minimum_amount:
                threshold = rule.sudo()._compute_amount(lines.order_id.currency_id[:1] or self.currency_id)
                if threshold > (incl if tax_mode == "incl" else excl) + 1e-6:
                    continue
            units = sum(qty[line] for line in matched)
            if units < minimum_qty:
                continue
            amounts[rule] = incl
            if mode == "order":
                points += per
            elif mode == "money":
                points += per * incl
            elif mode == "unit":
                points += per * units
        return points, amounts
