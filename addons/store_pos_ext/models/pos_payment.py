from odoo import models


class PosPayment(models.Model):
    _name = "pos.payment"
    _inherit = ["pos.payment", "store.scope.guard"]
