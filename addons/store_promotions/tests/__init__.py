from . import (
    test_approval,
    test_concurrency,
    test_pos_tour,
    test_query_count,
    test_server_check,
    test_templates,
)
