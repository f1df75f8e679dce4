from . import test_stock_threshold
from . import test_stock_alert
