from . import test_restaurant_setup
from . import test_restaurant_tour
