from . import test_markdown_proposal
from . import test_markdown_apply
from . import test_shrink
from . import test_isolation
from . import test_care_record
from . import test_fresh_replenishment
from . import test_class_booking
from . import test_class_booking_concurrency
