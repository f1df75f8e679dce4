from . import test_concurrency, test_ledger, test_member, test_pos_loading, test_query_count
