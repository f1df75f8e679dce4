from . import test_store
from . import test_isolation
from . import test_views
from . import test_staff_score
