from . import store_staff_score_compute
