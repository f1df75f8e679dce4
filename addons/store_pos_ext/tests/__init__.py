from . import test_store
from . import test_isolation
from . import test_views
