from . import test_restaurant_setup
