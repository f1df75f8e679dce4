from . import product_template
from . import report_pos_order
from . import store_store
from . import store_stock_replenishment
from . import store_stock_threshold
from . import stock_warehouse_orderpoint
from . import store_stock_alert
from . import store_stock_alert_demo
