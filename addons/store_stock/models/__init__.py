from . import store_stock_replenishment
