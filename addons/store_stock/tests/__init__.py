from . import test_transfer_suggestion
