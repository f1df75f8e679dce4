from . import test_dashboard_views
from . import test_dashboard_tour
from . import test_dashboard_replica
