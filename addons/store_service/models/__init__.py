from . import helpdesk_ticket
from . import helpdesk_ticket_photo
from . import helpdesk_ticket_sla
from . import pos_order
from . import res_partner
from . import store_service_demo
