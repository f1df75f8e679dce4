#!/usr/bin/env bash
# `make test-core`: Odoo's own test suites (loyalty, pos_loyalty, point_of_sale, browser tours
# included) on a fresh database where our addons are installed beside core, with demo data, in
# English and with no country, as Odoo's own CI runs them (core's tests compare English texts). They
# prove that a POS user without a Store Chain role, and a company without stores, keep core's
# behaviour. Core's tests that differ on purpose are listed, with the reason, in
# tests/core_skip_list.txt and left out of the run.
# Fails on any failed, errored or SKIPPED test and on any ERROR in the log.
set -uo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/testing.sh"
DB="${STORE_CORE_TEST_DB:-store_core_test}"
# Odoo test tags. Post-install tests only: the at-install ones run while their module is installed,
# before any of ours is loaded (run on an installed database they meet a half-loaded registry).
# point_of_sale's MobileTestUi runs every TestUi tour a second time in a phone-sized browser: it
# would double the run (past CI's hour on 2 cores) and tests no server code a second time.
SUITES="${STORE_CORE_SUITES:-post_install/loyalty,post_install/pos_loyalty,post_install/point_of_sale,-/point_of_sale:MobileTestUi}"
test_prerequisites
test_port="$(free_test_port)" || exit 1

tags="$SUITES"
# Each line of the skip list: `module:Class.method  reason` (# starts a comment).
while read -r test _; do
  tags="$tags,-/$test"
done < <(grep -vE '^\s*(#|$)' "$REPO_ROOT/tests/core_skip_list.txt")
log="$RUN_DIR/test-core.log"
mkdir -p "$RUN_DIR"
start=$(date +%s)
# pos_discount too: two of pos_loyalty's tours need it (they skip themselves without it).
CREATE_DB_INIT_ARGS="--language en_US" CREATE_DB_MODULES="$(our_addons),pos_discount" \
  create_db "$DB" --log-level=warn || die "could not build $DB"
# No module is installed or updated here: Odoo runs the post-install tests of every installed
# module the tags select, with every addon of the database loaded.
say "running Odoo's own tests: $tags"
"$REPO_ROOT/bin/odoo" -d "$DB" --test-enable --test-tags "$tags" --log-level=test --http-port "$test_port" \
  --stop-after-init 2>&1 | tee "$log" | show_test_log
test_verdict "$log" "${PIPESTATUS[0]}" "$start"
