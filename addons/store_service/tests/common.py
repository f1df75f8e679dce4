import base64
import io
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time
from PIL import Image

from odoo import Command, fields
from odoo.tools import plaintext2html

from odoo.addons.store_membership.tests.common import MemberCommon


def png(size=(40, 30), color=(200, 30, 30)):
    """A small PNG, base64-encoded, as a browser uploads it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@contextmanager
def at(env, when):
    """Run at ``when`` (UTC), for Python and for the records' create dates (the transaction's)."""
    moment = fields.Datetime.from_string(when)
    with freeze_time(moment), patch.object(type(env.cr), "now", lambda self: moment):
        yield


class ServiceCommon(MemberCommon):
    """MemberCommon (stores A, B in one region, C in another, a user per role, a member) plus a
    paid order of the member at store A, and the service's team, categories and stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.team = ref("store_service.helpdesk_team_hq_service")
        cls.cat_quality = ref("store_service.helpdesk_category_quality")
        cls.cat_service = ref("store_service.helpdesk_category_service")
        cls.cat_help = ref("store_service.helpdesk_category_store_help")
        cls.stage_new = ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.team.user_ids = [Command.link(cls.hq_admin.id)]
        cls.order_a = cls._sell(cls.store_a, 25.0)
        cls.order_a.partner_id = cls.member
        cls.order_b = cls._sell(cls.store_b, 30.0)
        cls.env["res.lang"]._activate_lang("en_US")
        cls.member.sudo().lang = "en_US"

    def _sms(self, ticket):
        """The SMS queued for ``ticket``'s notices, oldest first."""
        return (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "=", ticket.id),
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                ],
                order="id",
            )
        )

    @classmethod
    def _complaint(cls, user=None, **vals):
        """A complaint of the member about store A's order, created by ``user`` (default store A's
        cashier)."""
        env = cls.env(user=user or cls.cashier_a)
        return env["helpdesk.ticket"].create(
            {
                "store_kind": "complaint",
                "name": "苹果变质",
                "description": plaintext2html("回家发现苹果变质"),
                "team_id": cls.team.id,
                "category_id": cls.cat_quality.id,
                "pos_order_id": cls.order_a.id,
                **vals,
            }
        )
