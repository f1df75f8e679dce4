from . import store_staff_score_compute
from . import store_staff_handover
