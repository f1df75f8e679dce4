from . import store_restaurant_setup
