from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import plaintext2html


class StoreServiceDemo(models.AbstractModel):
    """Demo tickets of the demo chain 悦家连锁, in several stages, on members' real orders of the
    demo history (which has no XML ids). Demo data only: no progress notice is queued for them."""

    _name = "store.service.demo"
    _description = "Customer service demo data"

    @api.model
    def _create_tickets(self):
        ref = self.env.ref
        stores = {
            key: ref(f"store_pos_ext.store_{key}_demo", raise_if_not_found=False)
            for key in ("shxh", "shpd", "hzxh", "bjcy")
        }
        if not all(stores.values()):
            return
        Ticket = self.env["helpdesk.ticket"].with_context(store_service_no_notice=True, mail_notrack=True)
        team = ref("store_service.helpdesk_team_hq_service")
        hq_admin = ref("store_pos_ext.user_hq_admin_demo", raise_if_not_found=False) or self.env.user
        team.user_ids = [fields.Command.link(hq_admin.id)]
        stage = {
            name: ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}")
            for name in ("new", "in_progress", "awaiting", "done")
        }
        category = {
            name: ref(f"store_service.helpdesk_category_{name}")
            for name in ("quality", "service", "price", "other")
        }
        now = fields.Datetime.now()

        def member_order(store):
            return self.env["pos.order"].search(
                [
                    ("store_id", "=", store.id),
                    ("partner_id.is_member", "=", True),
                    ("state", "in", ("paid", "done")),
                ],
                order="date_order desc, id desc",
                limit=1,
            )

        def complaint(store, name, text, cat, **vals):
            order = member_order(store)
            return Ticket.create(
                {
                    "store_kind": "complaint",
                    "name": name,
                    "description": plaintext2html(text),
                    "store_id": store.id,
                    "team_id": team.id,
                    "category_id": category[cat].id,
                    "company_id": store.company_id.id,
                    "pos_order_id": order.id,
                    "pos_order_line_ids": [fields.Command.set(order.lines[:1].ids)],
                    "partner_id": order.partner_id.id,
                    **vals,
                }
            )

        complaint(
            stores["shxh"],
            "苹果回家发现变质",
            "会员购买的苹果回家后发现变质，要求更换。",
            "quality",
            user_id=False,
        )
        complaint(
            stores["hzxh"],
            "收银员态度不好",
            "会员反映结账时收银员态度冷淡。",
            "service",
            stage_id=stage["in_progress"].id,
            user_id=hq_admin.id,
        )
        exchange = complaint(
            stores["shxh"],
            "鲜奶临期，希望到杭州西湖店换货",
            "会员在上海徐汇店购买的鲜奶临期，人在杭州，希望就近换货。",
            "quality",
            stage_id=stage["awaiting"].id,
            user_id=hq_admin.id,
            handling_store_id=stores["hzxh"].id,
        )
        exchange.message_post(body=plaintext2html("已联系杭州西湖店，等待会员到店。"), message_type="comment")
        done = complaint(
            stores["shpd"],
            "价签与结算价不一致",
            "货架价签 12.8 元，结账 15.8 元。",
            "price",
            user_id=hq_admin.id,
        )
        done.write(
            {
                "store_resolution": "价签未及时更新，已向会员退还差价并致歉。",
                "stage_id": stage["done"].id,
            }
        )
        # The KPI needs handling times: created 30 hours ago, closed 3 hours after.
        created = now - timedelta(hours=30)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s, closed_date = %s WHERE id = %s",
            (created, created + timedelta(hours=3), done.id),
        )
        done.invalidate_recordset(["create_date", "closed_date"])
        done._compute_handling_hours()
        # The member rated the service from the closing notice's link (投诉满意度).
        done.rating_apply(
            5, token=done._rating_get_access_token(done.partner_id), feedback="处理很快，满意。"
        )

        session_store = stores["bjcy"]
        help_request = Ticket.create(
            {
                "store_kind": "help",
                "name": "求助：冷柜不制冷",
                "description": plaintext2html("2号冷柜不制冷，温度已到12度，请总部安排维修。"),
                "store_id": session_store.id,
                "team_id": team.id,
                "category_id": ref("store_service.helpdesk_category_store_help").id,
                "channel_id": ref("store_service.helpdesk_channel_pos").id,
                "company_id": session_store.company_id.id,
                "stage_id": stage["in_progress"].id,
                "user_id": hq_admin.id,
            }
        )
        help_request.with_user(hq_admin).message_post(
            body=plaintext2html("已安排维修师傅下午两点到店，请先把冷柜里的乳品移到1号冷柜。"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
