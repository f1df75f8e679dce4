from . import test_training_enrolment
