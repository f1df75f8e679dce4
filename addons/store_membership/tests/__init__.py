from . import test_demo, test_ledger, test_member, test_merge, test_pos_tour
