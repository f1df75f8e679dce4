from . import test_install
from . import test_demo_isolation
from . import test_deployment
from . import test_pos_tour
from . import test_demo_staff_score
from . import test_demo_membership
from . import test_core_compat
from . import test_core_skip_list
