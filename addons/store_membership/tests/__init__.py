from . import test_ledger, test_member, test_pos_tour
