from . import store_stock_threshold
from . import stock_warehouse_orderpoint
from . import store_stock_alert
from . import store_stock_alert_demo
