from . import (
    test_approval,
    test_concurrency,
    test_demo,
    test_discounts_charged,
    test_honest_till,
    test_order_date,
    test_pos_tour,
    test_promotion_figures,
    test_query_count,
    test_server_check,
    test_templates,
)
