"""Translations check of `make lint`: for each addon given (a folder with i18n/<addon>.pot), fail on

- a msgid of i18n/zh_CN.po that is untranslated or fuzzy, or whose translation drops or adds a
  placeholder (%s, %(name)s) of the msgid;
- a msgid of the .pot missing from zh_CN.po (not merged: msgmerge -U zh_CN.po ADDON.pot);
- a string given to _(), _lt() or env._() in the addon's Python code missing from the .pot (not
  exported: bin/odoo i18n export -d DB ADDON -o addons/ADDON/i18n/ADDON.pot).

Usage: python scripts/check_po.py addons/*/   (polib is in Odoo's requirements)
"""

import ast
import re
import sys
from pathlib import Path

import polib

LANG = "zh_CN"
TRANSLATE_FUNCTIONS = {"_", "_lt"}
PLACEHOLDER_RE = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdrf]")


def python_terms(addon):
    """(msgid, file, line) of every literal string translated in the addon's Python code."""
    for path in sorted(addon.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func, first = node.func, node.args[0]
            name = getattr(func, "id", None) or getattr(func, "attr", None)  # _(...) or self.env._(...)
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if name in TRANSLATE_FUNCTIONS and literal:
                yield first.value, path, node.lineno


def placeholders(text):
    return sorted(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def check_addon(addon):
    problems = []
    pot_path = addon / "i18n" / f"{addon.name}.pot"
    po_path = addon / "i18n" / f"{LANG}.po"
    if not pot_path.exists():
        return [f"{pot_path}: missing (export it with bin/odoo i18n export)"]
    if not po_path.exists():
        return [f"{po_path}: missing (msginit or copy the .pot, then translate)"]
    try:
        pot, po = polib.pofile(str(pot_path)), polib.pofile(str(po_path))
    except OSError as exc:  # polib's syntax errors
        return [f"{addon}/i18n: {exc}"]
    po_ids = set()
    for entry in po:
        if entry.obsolete:
            continue
        po_ids.add(entry.msgid)
        where = f"{po_path}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{where}: untranslated: {entry.msgid!r}")
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.append(f"{where}: placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
    pot_ids = {entry.msgid for entry in pot if not entry.obsolete}
    for msgid in sorted(pot_ids - po_ids):
        problems.append(f"{po_path}: not merged from the .pot: {msgid!r}")
    for msgid, path, line in python_terms(addon):
        if msgid not in pot_ids:
            problems.append(f"{path}:{line}: not in {pot_path.name} (export it): {msgid!r}")
    return problems


def main(paths):
    problems = []
    for path in paths:
        addon = Path(path)
        if (addon / "__manifest__.py").exists() and (addon / "i18n").is_dir():
            problems += check_addon(addon)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s): see the README (Translations)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
