from . import test_ticket
from . import test_isolation
from . import test_notices
from . import test_pos_help
from . import test_pos_help_tour
from . import test_views
from . import test_satisfaction
