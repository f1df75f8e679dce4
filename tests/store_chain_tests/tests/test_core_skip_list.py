import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parents[3]
ENTRY = re.compile(
    r"^(?P<module>\w+):(?P<cls>\w+)(?:\.(?P<method>\w+))?"  # module:Class[.method]
    r"\s+\[(?P<kind>ours|odoo)\]\s+(?P<reason>\S.*)$"  # [ours|odoo] reason
)


def skip_list():
    lines = (REPO / "tests" / "core_skip_list.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def core_test_classes(module):
    """The test classes of ``odoo.addons.<module>.tests``, by name (two files may use one name)."""
    package = importlib.import_module(f"odoo.addons.{module}.tests")
    classes = defaultdict(list)
    for info in pkgutil.iter_modules(package.__path__):
        mod = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, cls in inspect.getmembers(mod, inspect.isclass):
            classes[name].append(cls)
    return classes


@tagged("post_install", "-at_install")
class TestCoreSkipList(BaseCase):
    """tests/core_skip_list.txt (what `make test-core` leaves out of Odoo's own suites) stays true:
    each entry names a test that exists, says which kind of difference it is and why, and the
    README shows the list."""

    def test_every_entry_names_an_existing_core_test_with_a_reason(self):
        entries = skip_list()
        self.assertTrue(entries)
        for line in entries:
            with self.subTest(line=line):
                match = ENTRY.match(line)
                self.assertTrue(match, "expected `module:Class[.method]  [ours|odoo] reason`")
                classes = core_test_classes(match["module"])
                self.assertIn(match["cls"], classes)
                if match["method"]:
                    self.assertTrue(
                        any(callable(getattr(cls, match["method"], None)) for cls in classes[match["cls"]])
                    )

    def test_the_readme_shows_the_list(self):
        readme = " ".join((REPO / "README.md").read_text().split())
        for line in skip_list():
            with self.subTest(line=line):
                name, reason = line.split(maxsplit=1)
                self.assertIn(f"{name} {' '.join(reason.split())}", readme)
