from . import store_stock_transfer_suggestion
from . import pos_session
from . import product_template
