#!/usr/bin/env bash
# `make lint`: ruff (lint + format check) and pylint-odoo, offline, on our addons and tests.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/bootstrap.sh" >/dev/null
cd "$REPO_ROOT"
"$VENV_DIR/bin/ruff" check addons tests scripts bench
"$VENV_DIR/bin/ruff" format --check addons tests scripts bench
PYTHONPATH="$ODOO_ROOT" "$VENV_DIR/bin/pylint" --rcfile=.pylintrc \
  --disable=missing-readme,manifest-maintainers-list,website-manifest-key-not-valid-uri addons/*/ tests/*/
# Translations: no untranslated or fuzzy zh_CN entry, every .pot entry merged into zh_CN.po, every
# _()/env._() string of our Python code exported to the .pot.
"$VENV_DIR/bin/python" scripts/check_po.py addons/*/
