from . import test_approval, test_pos_tour, test_server_check, test_templates
