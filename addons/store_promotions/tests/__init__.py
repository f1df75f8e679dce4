from . import test_approval, test_server_check, test_templates
