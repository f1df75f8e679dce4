from . import test_stock_replenishment
