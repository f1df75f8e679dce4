#!/usr/bin/env bash
# `make test-one T=addons/<addon>/tests/test_<x>.py [U=1] [ARGS="..."]`: one test file (or folder),
# in seconds, in place on the existing test database (store_test, built by `make test`), with
# pytest-odoo. It neither builds the database nor installs modules: U=1 first updates the file's
# addon (after a change to its fields, views or data). Browser tests (HttpCase, tours) run only
# with ARGS=--odoo-http, on STORE_TEST_HTTP_PORT. Other pytest options go in ARGS (e.g. ARGS="-k topup -x").
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/db.sh"
DB="${STORE_TEST_DB:-store_test}"
target="${T:-}"
[ -n "$target" ] || die "name a test file: make test-one T=addons/store_membership/tests/test_ledger.py"
[ -e "$target" ] || die "$target: no such file or folder (paths are relative to $REPO_ROOT)"
target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"

# the addon of the file: the nearest folder above it with a manifest
addon_dir="$(dirname "$target")"
while [ "$addon_dir" != / ] && [ ! -f "$addon_dir/__manifest__.py" ]; do addon_dir="$(dirname "$addon_dir")"; done
[ -f "$addon_dir/__manifest__.py" ] || die "$target is not inside an addon (no __manifest__.py above it)"
addon="$(basename "$addon_dir")"

"$REPO_ROOT/scripts/bootstrap.sh" >/dev/null
"$REPO_ROOT/scripts/pg.sh" start >/dev/null
db_exists "$DB" || die "the test database '$DB' does not exist yet: run \`make test\` once (it builds it, \
about 8 minutes), or name another database with all our addons: STORE_TEST_DB=mydb make test-one T=..."
state="$(psql_db -d "$DB" -c "select state from ir_module_module where name = '$addon'")"
[ "$state" = installed ] || die "$addon is not installed in '$DB' (state: ${state:-unknown}): \
run \`make test\` again, or bin/odoo -d $DB -i $addon --stop-after-init"

if [ "${U:-0}" = 1 ]; then
  say "updating $addon in $DB"
  "$REPO_ROOT/bin/odoo" -d "$DB" -u "$addon" --stop-after-init --log-level=warn --http-port "${STORE_TEST_HTTP_PORT:-18069}"
fi

# pytest-odoo reads a config file (its PYTEST_DB_USE_ENV_VARS crashes in 2.3.0): ours, with the
# test HTTP port so that a running `make run` does not collide with --odoo-http.
conf="$RUN_DIR/odoo-test-one.conf"
sed -e "s/^http_port = .*/http_port = ${STORE_TEST_HTTP_PORT:-18069}/" "$ODOO_CONF" > "$conf"
cd "$REPO_ROOT"
export PYTHONPATH="$ODOO_ROOT${PYTHONPATH:+:$PYTHONPATH}"
# shellcheck disable=SC2086 # ARGS is a list of pytest options
exec "$VENV_DIR/bin/pytest" -p no:cacheprovider --odoo-config "$conf" --odoo-database "$DB" \
  --odoo-log-level=warn --disable-warnings ${ARGS:-} "$target"
