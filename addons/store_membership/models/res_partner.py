import re
import unicodedata
from datetime import timedelta

import phonenumbers

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.store_pos_ext.models.server_guard import server_write

# A member's personal data store staff never receive (PIPL): address and e-mail, in every form core
# derives them. Their phone holds the masked number; the full one (member_mobile) is revealed by
# the logged unmask wizard only.
ADDRESS_FIELDS = {
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "pos_contact_address",
    "contact_address",
    "contact_address_inline",
    "email",
    "email_normalized",
    "email_formatted",
    "invoice_emails",
}
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
MAINLAND_REGION = "CN"
MAINLAND_COUNTRY_CODE = 86
# What a typed mobile may contain: digits, a leading +, and the usual separators.
PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ().\-]+$")
FOREIGN_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
# What store_member_lookup tells the POS about a member, read with the lookup itself.
MEMBER_INFO_FIELDS = ["name", "member_number", "member_mobile", "member_tier_id"]
# Set by the server (registration, tier review, merge) or an HQ member admin, never by store staff.
PROTECTED_FIELDS = {
    "is_member",
    "member_number",
    "member_tier_id",
    "register_store_id",
    "register_employee_id",
    "member_staff_id",
    "member_consent_date",
    "member_birthday_coupon_year",
}


def normalize_mobile(value):
    """A member's mobile in its stored normal form, or False when it is not a valid mobile.

    - a mainland mobile (``+86``, ``0086``, ``86`` or no prefix) -> its 11 digits ``13800138000``:
      the chain-unique key stays what the stores know;
    - a foreign mobile, written with its country code (``+`` or ``00``) -> E.164, ``+85291234567``;
      it can never equal a mainland key (those have no ``+``), whatever digits they share.

    The number is parsed by ``phonenumbers`` (Google's libphonenumber, as in core's phone_validation)
    with China as the default region: a number without a country code is read as a mainland one,
    so ``85291234567`` is not Hong Kong's 9123 4567 and ``+1 385 555 0123`` is not the mainland
    13855550123. Full-width and other Unicode digits are folded to ASCII first (NFKC). A foreign
    number must be a valid mobile of its country (libphonenumber's metadata); a mainland one is
    11 digits starting 1[3-9]. Letters (vanity numbers) and extensions are refused."""
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).strip()
    if not text or not PHONE_CHARS_RE.match(text):
        return False
    try:
        number = phonenumbers.parse(text, MAINLAND_REGION)
    except phonenumbers.NumberParseException:
        return False
    if number.country_code == MAINLAND_COUNTRY_CODE:
        national = str(number.national_number)
        return national if MOBILE_RE.match(national) else False
    if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in FOREIGN_MOBILE_TYPES:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return False


def mask_mobile(mobile):
    """138****8000 for a mainland mobile; +852 ****4567 (the country code and the last four) for a
    foreign one."""
    if not mobile:
        return False
    if mobile.startswith("+"):
        try:
            country_code = phonenumbers.parse(mobile).country_code
        except phonenumbers.NumberParseException:
            return f"****{mobile[-4:]}"
        return f"+{country_code} ****{mobile[-4:]}"
    return f"{mobile[:3]}****{mobile[-4:]}"


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_member = fields.Boolean("Member", index=True, copy=False)
    member_number = fields.Char("Member number", copy=False, readonly=True)
    member_mobile = fields.Char(
        "Mobile (full)",
        copy=False,
        groups="store_membership.group_member_admin",
        help="The member's normalised mobile. Everyone else sees the masked number in Phone.",
    )
    member_birthday = fields.Date("Birthday")
    member_birthday_month = fields.Integer(
        "Birthday month",
        compute="_compute_member_birthday_month",
        search="_search_member_birthday_month",
        help="Month of the birthday (1-12; 0 without a birthday).",
    )
    member_gender = fields.Selection([("female", "Female"), ("male", "Male"), ("other", "Other")], "Gender")
    home_store_id = fields.Many2one("store.store", "Home store", index=True)
    register_store_id = fields.Many2one("store.store", "Registered at", readonly=True, index=True)
    register_employee_id = fields.Many2one("hr.employee", "Registered by", readonly=True)
    member_staff_id = fields.Many2one(
        "hr.employee",
        "Served by (导购)",
        compute="_compute_member_staff_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="The employee who looks after this member: who registered them, until a staff handover "
        "gives them to a colleague. Who registered them stays in Registered by.",
    )
    member_consent_date = fields.Datetime("Consent given on", readonly=True)
    member_tier_id = fields.Many2one("store.member.tier", "Tier", readonly=True, index=True)
    member_tier_history_ids = fields.One2many("store.member.tier.history", "partner_id", "Tier history")
    member_points = fields.Float("Points", compute="_compute_member_balances")
    member_stored_value = fields.Float("Stored value", compute="_compute_member_balances")
    member_sv_principal = fields.Float(
        "Principal", compute="_compute_member_balances", help="Unspent stored value paid by the member."
    )
    member_sv_bonus = fields.Float(
        "Bonus", compute="_compute_member_balances", help="Unspent stored value given by top-up bonuses."
    )
    member_ledger_count = fields.Integer("Ledger", compute="_compute_member_counts")
    member_coupon_count = fields.Integer("Coupons", compute="_compute_member_counts")
    member_birthday_coupon_year = fields.Integer(copy=False, readonly=True)
    store_hide_address = fields.Boolean(compute="_compute_store_hide_address")

    _member_number_unique = models.UniqueIndex(
        "(member_number) WHERE member_number IS NOT NULL", "This member number is already in use."
    )
    _member_mobile_unique = models.UniqueIndex(
        "(member_mobile) WHERE member_mobile IS NOT NULL", "A member with this mobile already exists."
    )

    @api.depends("register_employee_id")
    def _compute_member_staff_id(self):
        for partner in self:
            partner.member_staff_id = partner.register_employee_id

    @api.depends("member_birthday")
    def _compute_member_birthday_month(self):
        for partner in self:
            partner.member_birthday_month = partner.member_birthday.month if partner.member_birthday else 0

    def _search_member_birthday_month(self, operator, value):
        """A real condition on the month of the birthday (a domain cannot take the month of a
        date): ``EXTRACT(MONTH ...)`` in SQL, no birthday being month 0. The filter 本月生日
        (Birthday this month) searches the month of the user's today."""
        if operator not in ("in", "not in"):
            return NotImplemented
        months = tuple(int(month or 0) for month in value) or (-1,)

        def to_sql(model, alias, query):
            birthday = model._field_to_sql(alias, "member_birthday", query)
            condition = SQL("COALESCE(EXTRACT(MONTH FROM %s)::int, 0) IN %s", birthday, months)
            return condition if operator == "in" else SQL("NOT (%s)", condition)

        return Domain.custom(to_sql=to_sql)

    @api.depends_context("uid")
    def _compute_store_hide_address(self):
        hq = self.env.user.has_group("store_pos_ext.group_hq_analyst")
        for partner in self:
            partner.store_hide_address = partner.is_member and not hq

    def _compute_member_balances(self):
        company = self.env.company
        programs = company.store_points_program_id | company.store_sv_program_id
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("program_id", "in", programs.ids)])
        )
        by_role = {(c.partner_id.id, c.program_id.store_chain_role): c for c in cards}
        no_card = self.env["loyalty.card"]
        for partner in self:
            points = by_role.get((partner.id, "points"), no_card)
            stored_value = by_role.get((partner.id, "stored_value"), no_card)
            partner.member_points = points.points
            partner.member_stored_value = stored_value.points
            partner.member_sv_principal = stored_value.store_sv_principal
            partner.member_sv_bonus = stored_value.store_sv_bonus

    def _compute_member_counts(self):
        """What the smart buttons open, counted as the user sees it (a store user: the ledger lines
        of their stores)."""
        History, Card = self.env["loyalty.history"], self.env["loyalty.card"]
        members = self.filtered(lambda p: p.is_member and p.id)
        ledger, coupons = {}, {}
        if members and History.has_access("read"):
            ledger = dict(History._read_group(members._member_ledger_domain(), ["partner_id"], ["__count"]))
        if members and Card.has_access("read"):
            coupons = dict(Card._read_group(members._member_coupon_domain(), ["partner_id"], ["__count"]))
        for partner in self:
            partner.member_ledger_count = ledger.get(partner, 0)
            partner.member_coupon_count = coupons.get(partner, 0)

    def _member_ledger_domain(self):
        """The member ledger of these members: the lines of their chain cards."""
        return [("partner_id", "in", self.ids), ("store_chain_role", "!=", False)]

    def _member_coupon_domain(self):
        """Their coupons: cards of programs that are not the chain's points or stored value."""
        return [("partner_id", "in", self.ids), ("program_id.store_chain_role", "=", False)]

    # ----------------------------------------------------------- registration
    @api.model
    def _store_mobile_error(self, typed):
        return ValidationError(
            self.env._(
                "Mobile: %(mobile)s is not a valid mobile number. Enter an 11-digit mainland mobile "
                "(e.g. 13800138000) or a foreign mobile with its country code (e.g. +852 9123 4567).",
                mobile=str(typed).strip() if typed not in (None, False, "") else self.env._("(empty)"),
            )
        )

    @api.model
    def _store_member_vals(self, vals):
        typed = vals.get("mobile") or vals.get("member_mobile")
        mobile = normalize_mobile(typed)
        if not mobile:
            raise self._store_mobile_error(typed)
        name = vals.get("name") or ""
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            raise ValidationError(self.env._("Name: the member's name is required."))
        birthday = vals.get("birthday") or vals.get("member_birthday") or False
        if birthday:
            try:
                birthday = fields.Date.to_date(birthday)
            except (ValueError, TypeError) as exc:
                raise ValidationError(self.env._("Birthday: use the format YYYY-MM-DD.")) from exc
            if birthday > fields.Date.context_today(self):
                raise ValidationError(self.env._("Birthday: the date is in the future."))
        return mobile, {
            "name": name,
            "member_birthday": birthday,
            "member_gender": vals.get("gender")
            if vals.get("gender") in ("female", "male", "other")
            else False,
        }

    @api.model
    def store_member_register(self, vals, config_id=False, employee_id=False):
        """Register a member from the POS or a form; a mobile already registered anywhere in the
        chain returns that member instead (``existing`` is True). Only whitelisted fields are used."""
        if not isinstance(vals, dict):
            raise ValidationError(self.env._("Registration: the member's data must be a dictionary."))
        for name, value in (("config_id", config_id), ("employee_id", employee_id)):
            if value and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValidationError(
                    self.env._("%(field)s: %(value)r is not a record id.", field=name, value=value)
                )
        mobile, clean = self._store_member_vals(vals)
        existing = self._store_member_find(mobile)
        if existing:
            return {"existing": True, **existing._store_member_info()}
        config = self.env["pos.config"].browse(config_id).exists() if config_id else self.env["pos.config"]
        store = config.store_id or self.env.user.store_id
        employee = (
            self.env["hr.employee"].browse(employee_id).exists() if employee_id else self.env["hr.employee"]
        )
        # The registration counts for an employee's 办卡 figures: one who may use this till (those
        # it lists, as pos_hr decides: when it lists basic employees), else one of this store;
        # never whoever the caller names. HQ (not confined to stores) and server code: chain-wide.
        if self.env.su or not self.env["store.scope.guard"]._store_confined_user():
            allowed = True
        elif config.basic_employee_ids:
            allowed = employee in (
                config.minimal_employee_ids | config.basic_employee_ids | config.advanced_employee_ids
            )
        else:
            allowed = bool(store) and employee.sudo().store_id == store
        if employee and not (allowed or employee == self.env.user.employee_id):
            employee = self.env["hr.employee"]
        partner = self.sudo()._store_member_create(
            mobile,
            {
                **clean,
                "home_store_id": store.id,
                "register_store_id": store.id,
                "register_employee_id": employee.id or self.env.user.employee_id.id,
                "company_id": False,
            },
        )
        return {"existing": False, **partner._store_member_info()}

    @api.model
    def _store_member_create(self, mobile, vals):
        partner = self.create(
            {
                **vals,
                "is_member": True,
                "member_mobile": mobile,
                "phone": mask_mobile(mobile),
                "member_number": self.env["ir.sequence"].next_by_code("store.member"),
                "member_consent_date": fields.Datetime.now(),
            }
        )
        partner._store_member_cards()
        self.env["store.member.tier"]._store_tier_for(partner)
        return partner

    def _store_check_protected(self, vals_list):
        if self.env.su or self.env.user.has_group("store_membership.group_member_admin"):
            return
        if any(PROTECTED_FIELDS & set(vals) for vals in vals_list):
            raise UserError(self.env._("Membership fields are set by the system or an HQ member admin."))
        if any("active" in vals for vals in vals_list) and self.filtered("is_member"):
            raise UserError(self.env._("Members are archived by HQ member admins only."))

    @api.model_create_multi
    def create(self, vals_list):
        self._store_check_protected(vals_list)
        for vals in vals_list:
            if vals.get("is_member") and vals.get("member_mobile"):
                mobile = normalize_mobile(vals["member_mobile"])
                if not mobile:
                    raise self._store_mobile_error(vals["member_mobile"])
                vals["member_mobile"] = mobile
                vals["phone"] = mask_mobile(mobile)
            if vals.get("is_member") and not vals.get("member_number"):
                vals["member_number"] = self.env["ir.sequence"].sudo().next_by_code("store.member")
        return super().create(vals_list)

    def write(self, vals):
        self._store_check_protected([vals])
        if vals.get("member_mobile"):
            mobile = normalize_mobile(vals["member_mobile"])
            if not mobile:
                raise self._store_mobile_error(vals["member_mobile"])
            vals = {**vals, "member_mobile": mobile, "phone": mask_mobile(mobile)}
        if vals.get("is_member"):
            for partner in self.filtered(lambda p: not p.member_number):
                super(ResPartner, partner).write(
                    {"member_number": self.env["ir.sequence"].sudo().next_by_code("store.member")}
                )
        return super().write(vals)

    @api.model
    def _load_pos_data_fields(self, config):
        # The POS needs to know a member (to show its balances) and its card number (fresh lookups).
        return [*super()._load_pos_data_fields(config), "is_member", "member_number"]

    # ----------------------------------------------------------------- lookup
    @api.model
    def _store_member_find(self, query):
        """One member by normalised mobile or member number: two unique-index probes."""
        query = (query or "").strip()
        if not query:
            return self.browse()
        self._store_lookup_allowed()
        Partner = self.sudo().with_context(active_test=False)
        mobile = normalize_mobile(query)
        # search_fetch: the probe also reads what the POS is told (not the partner's 100+ columns)
        found = (
            Partner.search_fetch([("member_mobile", "=", mobile)], MEMBER_INFO_FIELDS, order="id", limit=1)
            if mobile
            else self.browse()
        )
        found = found or Partner.search_fetch(
            [("member_number", "=", query)], MEMBER_INFO_FIELDS, order="id", limit=1
        )
        if not self.env.user._is_superuser():
            self.env["store.member.unmask.log"].sudo().create(
                {
                    "kind": "lookup",
                    "partner_id": found.id,
                    "reason": mask_mobile(mobile) if mobile else query[:64],
                }
            )
        return found

    def _store_lookup_allowed(self):
        """Refuse a lookup beyond the user's hourly limit (a lookup by full mobile is an oracle
        for the masked numbers): the first refusal of the hour alerts the HQ member admins."""
        user = self.env.user
        limit = self.env.company.store_member_lookup_hourly_limit
        if not limit or user._is_superuser():
            return
        Log = self.env["store.member.unmask.log"].sudo()
        since = fields.Datetime.now() - timedelta(hours=1)
        domain = [("user_id", "=", user.id), ("create_date", ">=", since)]
        if Log.search_count([*domain, ("kind", "=", "lookup")], limit=limit) < limit:
            return
        if not Log.search_count([*domain, ("kind", "=", "alert")], limit=1):
            self._store_lookup_alert(limit)
        raise UserError(
            self.env._(
                "Too many member lookups: %(limit)s in the last hour. HQ has been told; try again later.",
                limit=limit,
            )
        )

    def _store_lookup_alert(self, limit):
        """Log the alert and give each HQ member admin an activity. The refusal that follows
        rolls the request back: the alert is then written again on a cursor of its own."""
        user_id, company_id, registry = self.env.uid, self.env.company.id, self.env.registry

        def alert(env):
            user, company = env["res.users"].browse(user_id), env["res.company"].browse(company_id)
            env["store.member.unmask.log"].create(
                {"kind": "alert", "user_id": user.id, "member_count": limit, "reason": user.login}
            )
            admins = env.ref("store_membership.group_member_admin").all_user_ids.filtered(
                lambda u: not u.share and company in u.company_ids
            )
            for admin in admins:
                # In each admin's language, whatever the stopped user's.
                admin_env = env(context={**env.context, "lang": admin._store_lang()})
                user.partner_id.activity_schedule(
                    "mail.mail_activity_data_warning",
                    summary=admin_env._("Unusually many member lookups"),
                    note=admin_env._(
                        "%(user)s looked up %(limit)s members within an hour and was stopped. Check "
                        "the member data access log.",
                        user=user.name,
                        limit=limit,
                    ),
                    user_id=admin.id,
                )

        def after_rollback():
            with registry.cursor() as cr:
                alert(api.Environment(cr, SUPERUSER_ID, {"lang": self.env.lang}))

        alert(self.env(su=True))
        self.env.cr.postrollback.add(after_rollback)

    @api.model
    def store_member_lookup(self, query):
        """POS lookup by phone or card/QR; the answer carries only masked personal data."""
        partner = self._store_member_find(query)
        return partner._store_member_info() if partner else False

    def _store_member_info(self):
        self.ensure_one()
        partner = self.sudo()
        cards = partner._store_member_cards(create=False)
        points, sv = cards.get("points"), cards.get("stored_value")
        return {
            "id": partner.id,
            "name": partner.name,
            "member_number": partner.member_number,
            "phone_masked": mask_mobile(partner.member_mobile),
            "tier": partner.member_tier_id.name or "",
            "points": points.points if points else 0.0,
            "points_card_id": points.id if points else False,
            "stored_value": sv.points if sv else 0.0,
            "sv_principal": sv.store_sv_principal if sv else 0.0,
            "sv_bonus": sv.store_sv_bonus if sv else 0.0,
            "sv_card_id": sv.id if sv else False,
            "coupons": partner._store_member_coupons(),
        }

    def _store_member_coupons(self):
        """The member's unused birthday coupons, for the cashier to apply by code."""
        program = self.env.company.store_birthday_program_id
        if not program:
            return []
        today = fields.Date.context_today(self)
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "=", self.id),
                    ("program_id", "=", program.id),
                    ("points", ">", 0),
                    "|",
                    ("expiration_date", "=", False),
                    ("expiration_date", ">=", today),
                ],
                ["code", "expiration_date"],
            )
        )
        return [
            {
                "code": c.code,
                "name": program.name,
                "expiration_date": fields.Date.to_string(c.expiration_date),
            }
            for c in cards
        ]

    def _store_member_cards(self, create=True):
        """{'points': card, 'stored_value': card} of this member, created on demand."""
        self.ensure_one()
        company = self.env.company
        # Only the fields used here: a POS lookup or settlement need not read whole companies and programs.
        company.fetch(["store_points_program_id", "store_sv_program_id"])
        # The role of each program is the company's field that names it (no read of the programs).
        roles = {
            program.id: role
            for role, program in (
                ("stored_value", company.store_sv_program_id),
                ("points", company.store_points_program_id),
            )
            if program
        }
        Card = self.env["loyalty.card"].sudo()
        cards = Card.search_fetch(
            [("partner_id", "=", self.id), ("program_id", "in", list(roles))],
            ["program_id", "partner_id", "points"],
        )
        result = {roles[c.program_id.id]: c for c in cards}
        if create:
            missing = [(program_id, role) for program_id, role in roles.items() if role not in result]
            if missing:
                # Lock the member so two tills cannot create two cards for them at once.
                self.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.id])
                role_letter = {"points": "P", "stored_value": "S"}
                for program_id, role in missing:
                    card = Card.search(
                        [("partner_id", "=", self.id), ("program_id", "=", program_id)], limit=1
                    )
                    if not card:
                        code = f"{self.member_number or self.id}-{role_letter[role]}"
                        with server_write():
                            card = Card.with_context(action_no_send_mail=True).create(
                                {
                                    "program_id": program_id,
                                    "partner_id": self.id,
                                    "points": 0,
                                    "code": code,
                                }
                            )
                    result[role] = card
        return result

    def _store_set_tier(self, tier, spend=0.0, points=0.0):
        self.ensure_one()
        old = self.member_tier_id
        up = not old or (tier.threshold, tier.sequence) > (old.threshold, old.sequence)
        vals = {"member_tier_id": tier.id}
        if tier.pricelist_id or (old and old.pricelist_id):
            vals["property_product_pricelist"] = tier.pricelist_id.id
        self.sudo().write(vals)
        self.env["store.member.tier.history"].sudo().create(
            {
                "partner_id": self.id,
                "old_tier_id": old.id,
                "new_tier_id": tier.id,
                "direction": "up" if up else "down",
                "spend": spend,
                "points": points,
            }
        )

    @api.model
    def get_new_partner(self, config_id, domain, offset):
        """Core's POS customer search: a full mobile typed there finds the member too (their
        Phone only holds the masked number)."""
        result = super().get_new_partner(config_id, domain, offset)
        terms = [leaf[2] for leaf in domain if isinstance(leaf, (list, tuple)) and len(leaf) == 3]
        mobiles = {normalize_mobile(t) for t in terms if isinstance(t, str)} - {False}
        known = {row["id"] for row in result["res.partner"]}
        for mobile in mobiles:
            member = self._store_member_find(mobile)
            if member and member.id not in known:
                config = self.env["pos.config"].browse(config_id)
                result["res.partner"] += self._load_pos_data_read(self.browse(member.id), config)
        return result

    # ---------------------------------------------------------------- privacy
    def _store_sees_member_pii(self):
        """Whether the user may receive members' address and e-mail: HQ roles. Judged on the
        user, not on sudo (core reads some data sudo on a user's behalf, the POS's included)."""
        user = self.env.user
        return user._is_superuser() or user.has_group("store_pos_ext.group_hq_analyst")

    def _read_format(self, fnames, load="_classic_read"):
        """Every read method (read, search_read, web_read, web_search_read, the POS's data) formats
        its values here: members' address and e-mail are blanked for store staff, and the full
        mobile is masked for everyone but the server (HQ reveals it through the logged wizard)."""
        result = super()._read_format(fnames, load)
        hidden = set(fnames) & ADDRESS_FIELDS if not self._store_sees_member_pii() else set()
        masked = "member_mobile" in fnames and not self.env.user._is_superuser()
        if not (hidden or masked):
            return result
        shown = self.sudo().browse([row["id"] for row in result if row.get("id")])
        members = {p.id: p for p in shown.filtered("is_member")}
        for row in result:
            member = members.get(row.get("id"))
            if member:
                row.update(dict.fromkeys(hidden, False))
                if masked:
                    row["member_mobile"] = mask_mobile(member.member_mobile)
        return result

    def _compute_display_name(self):
        """Core shows the e-mail or address in a partner's name on request (``show_email``,
        ``show_address`` in the context, e.g. a name_search): not members' to store staff."""
        result = super()._compute_display_name()
        context = self.env.context
        if (context.get("show_email") or context.get("show_address")) and not self._store_sees_member_pii():
            for partner in self.filtered("is_member"):
                partner.display_name = partner.with_context(show_email=False, show_address=False).display_name
        return result

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        """Grouping partners by an address or e-mail field lists their values: HQ roles only."""
        # Store staff only: a user without a Store Chain role keeps core's behaviour.
        if (
            not self.env.su
            and self.env.user.has_group("store_pos_ext.group_store_user")
            and not self._store_sees_member_pii()
        ):
            specs = [*groupby, *(a for a in aggregates if a != "__count"), *(order or "").split(",")]
            named = {spec.strip().split(" ")[0].split(":")[0].split(".")[0] for spec in specs if spec}
            if named & ADDRESS_FIELDS:
                raise AccessError(
                    self.env._("Addresses and e-mails of contacts are grouped by HQ roles only.")
                )
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.ondelete(at_uninstall=False)
    def _unlink_store_member_admin_only(self):
        if (
            not self.env.su
            and not self.env.user.has_group("store_membership.group_member_admin")
            and self.filtered("is_member")
        ):
            raise UserError(self.env._("Members are deleted by HQ member admins only."))

    def _get_vcard_file(self):
        """A vCard holds a member's full contact data: HQ roles only, logged like an export."""
        members = self.filtered("is_member")
        if members and not self.env.su:
            if not self._store_sees_member_pii():
                raise UserError(self.env._("Member data can be exported by HQ roles only."))
            self.env["store.member.unmask.log"].sudo().create(
                {"kind": "export", "member_count": len(members), "reason": "vCard"}
            )
        return super()._get_vcard_file()

    def action_store_member_ledger(self):
        """The member's ledger (the lines of their chain cards), from the member form."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_membership.loyalty_history_action_ledger"
        )
        return action | {
            "name": self.env._("Ledger of %s", self.display_name),
            "domain": self._member_ledger_domain(),
            "context": {"create": False},
        }

    def action_store_member_coupons(self):
        """The member's coupons (the birthday coupon and other non-chain cards), from the member form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Coupons of %s", self.display_name),
            "res_model": "loyalty.card",
            "view_mode": "list,form",
            "domain": self._member_coupon_domain(),
            "context": {"create": False},
        }

    def action_store_unmask(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.member.unmask",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def export_data(self, fields_to_export):
        members = self.filtered("is_member")
        if members:
            if not self.env.user.has_group("store_pos_ext.group_hq_analyst"):
                raise UserError(self.env._("Member data can be exported by HQ roles only."))
            self.env["store.member.unmask.log"].sudo().create(
                {
                    "kind": "export",
                    "member_count": len(members),
                    "reason": ", ".join(fields_to_export)[:250],
                }
            )
        return super().export_data(fields_to_export)

    # --------------------------------------------------------------- birthday
    @api.model
    def _cron_store_birthday_coupons(self):
        """Issue each company's birthday coupon to its members born this month, once a year."""
        today = fields.Date.context_today(self)
        issued = 0
        for company in self.env["res.company"].search([("store_birthday_program_id", "!=", False)]):
            program = company.store_birthday_program_id.sudo()
            self.flush_model(
                ["is_member", "active", "member_birthday", "member_birthday_coupon_year", "company_id"]
            )
            # A member belongs to the company of their home store (members are shared contacts).
            self.env.cr.execute(
                """SELECT p.id FROM res_partner p
                LEFT JOIN store_store s ON s.id = p.home_store_id
                    WHERE p.is_member AND p.active AND EXTRACT(MONTH FROM p.member_birthday) = %s
                      AND COALESCE(p.member_birthday_coupon_year, 0) < %s
                      AND COALESCE(s.company_id, %s) = %s""",
                [today.month, today.year, self.env.company.id, company.id],
            )
            members = self.browse([row[0] for row in self.env.cr.fetchall()])
            expiry = fields.Date.end_of(today, "month")
            with server_write():  # a server-issued coupon (loyalty.program.store_server_issued)
                self.env["loyalty.card"].sudo().with_context(action_no_send_mail=True).create(
                    [
                        {"program_id": program.id, "partner_id": m.id, "points": 1, "expiration_date": expiry}
                        for m in members
                    ]
                )
            members.sudo().write({"member_birthday_coupon_year": today.year})
            issued += len(members)
        return issued
