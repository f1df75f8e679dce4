"""Refresh an addon's zh_CN.po from its .pot and the translation table beside this script.

bin/odoo i18n export -d DB ADDON -o addons/ADDON/i18n/ADDON.pot
.venv-python scripts/i18n/update.py ADDON        (prints what is still untranslated)
"""

import importlib.util
import re
import sys
from pathlib import Path

import polib

CJK = re.compile(r"[\u4e00-\u9fff]")
REPO = Path(__file__).resolve().parents[2]


def main(addon):
    table_path = Path(__file__).with_name(f"{addon}_zh.py")
    spec = importlib.util.spec_from_file_location("table", table_path)
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    pot_path = REPO / "addons" / addon / "i18n" / f"{addon}.pot"
    pot = polib.pofile(str(pot_path))
    # Demo records already carry Chinese names: nothing to translate there.
    for entry in [e for e in pot if CJK.search(e.msgid) and not e.msgid.startswith("e.g.")]:
        pot.remove(entry)
    pot.save(str(pot_path))
    po = polib.pofile(str(pot_path))
    po.metadata["Language"] = "zh_CN"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        text = table.ZH.get(entry.msgid)
        if text is None:
            missing.append(entry.msgid)
        else:
            entry.msgstr = text
    po.save(str(REPO / "addons" / addon / "i18n" / "zh_CN.po"))
    for msgid in missing:
        print("untranslated:", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
