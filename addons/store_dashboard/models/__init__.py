from . import store_sales_fact
from . import store_member_month_fact
from . import store_employee_day_fact
from . import pos_order
from . import res_partner
from . import res_company
from . import res_config_settings
from . import store_dashboard
