from . import (
    test_concurrency,
    test_demo,
    test_hold,
    test_ledger,
    test_member,
    test_merge,
    test_pos_loading,
    test_pos_tour,
    test_query_count,
)
