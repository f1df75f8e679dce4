from . import test_assortment
from . import test_stock_replenishment
