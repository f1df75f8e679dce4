from . import test_assortment
