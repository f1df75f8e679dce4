from . import test_ledger, test_member
