from . import test_store
from . import test_isolation
from . import test_views
from . import test_checklist
from . import test_shift_handover
from . import test_checklist_http
from . import test_staff_score
from . import test_order_resend
