from . import test_assortment
from . import test_stock_replenishment
from . import test_stock_threshold
from . import test_stock_alert
from . import test_transfer_suggestion
from . import test_hostile
