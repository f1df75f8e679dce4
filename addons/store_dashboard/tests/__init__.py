from . import test_facts
from . import test_kpis
from . import test_rfm
from . import test_dashboard_views
from . import test_dashboard_tour
from . import test_dashboard_replica
from . import test_stock_turnover
from . import test_weekday
