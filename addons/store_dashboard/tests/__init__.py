from . import test_facts
from . import test_kpis
from . import test_rfm
