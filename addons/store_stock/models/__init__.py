from . import product_template
from . import report_pos_order
from . import store_store
from . import store_stock_replenishment
