from . import (
    test_concurrency,
    test_coupons,
    test_demo,
    test_hold,
    test_ledger,
    test_member,
    test_merge,
    test_mobile_identity,
    test_money_integrity,
    test_money_soak,
    test_pos_loading,
    test_points_rules,
    test_pos_tour,
    test_query_count,
    test_refund_binding,
    test_server_pricing,
    test_staff_handover,
)
from . import test_member_privacy
from . import test_member_lookup_limit
from . import test_change_log
from . import test_registration_input
from . import test_written_language
from . import test_member_form
from . import test_hq_loyalty_edits
from . import test_settle_after_paid
