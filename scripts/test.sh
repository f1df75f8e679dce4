#!/usr/bin/env bash
# `make test`: set everything up, build a fresh test database with all our addons (demo data included)
# and run every test of our addons and of tests/ (Python tests and POS tours in headless Chromium).
# Fails on any failed, errored or SKIPPED test and on any ERROR in the log.
set -uo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/db.sh"
DB="${STORE_TEST_DB:-store_test}"
"$REPO_ROOT/scripts/bootstrap.sh" --browser || exit 1
"$REPO_ROOT/scripts/pg.sh" start || exit 1
"$VENV_DIR/bin/python" -c "import websocket" || die "websocket-client missing: browser tours would be skipped"
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || die "chromium missing: browser tours would be skipped"

modules="$(our_addons),$(cd "$REPO_ROOT/tests" && ls -d */ | tr -d / | paste -sd,)"
tags="$(echo "$modules" | sed 's/\([^,]*\)/\/\1/g')"
log="$RUN_DIR/test.log"
mkdir -p "$RUN_DIR"
start=$(date +%s)
# The test server gets its own port, so a running `make run` (8069) does not break the tours.
test_port="${STORE_TEST_HTTP_PORT:-18069}"
if (exec 3<>"/dev/tcp/127.0.0.1/$test_port") 2>/dev/null; then
  die "port $test_port is taken; set STORE_TEST_HTTP_PORT to a free port"
fi
CREATE_DB_MODULES="$modules" create_db "$DB" --test-enable --test-tags "$tags" --log-level=test --http-port "$test_port" \
  2>&1 | tee "$log" | grep --line-buffered -E " (ERROR|CRITICAL|WARNING) |odoo\.tests\.(result|stats)|Starting |skipped|FAIL|tests when loading" \
  | grep --line-buffered -v "py.warnings: .*DeprecationWarning"
rc=${PIPESTATUS[0]}

summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database" "$log" | tail -n 1)
failed=$(( $(echo "${summary:-0 failed, 0 error}" | sed -E 's/^([0-9]+) failed, ([0-9]+) error.*/\1 + \2/') ))
total=$(echo "$summary" | sed -E 's/.* of ([0-9]+) tests.*/\1/')
skipped=$(grep -cE "odoo\.tests\.result: skipped|: skipped .* : " "$log")
errors=$(grep -E " (ERROR|CRITICAL) " "$log" | grep -cv "tests when loading")
echo
echo "test log: $log ($(( $(date +%s) - start ))s)"
if [ -z "$summary" ] || [ "${total:-0}" = 0 ]; then echo "no test ran"; rc=1; total=0; failed=0; fi
[ "$skipped" -gt 0 ] && { echo "$skipped test(s) SKIPPED (a skipped tour is a failure):"; grep -E "skipped" "$log" | head; rc=1; }
[ "$errors" -gt 0 ] && { echo "$errors ERROR line(s) in the log:"; grep -E " (ERROR|CRITICAL) " "$log" | head -20; rc=1; }
[ "$failed" -gt 0 ] && rc=1
passed=$(( total - failed ))
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
