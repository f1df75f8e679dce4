# Test helpers, sourced by test.sh and test_core.sh (after env.sh and db.sh).

# test_prerequisites: the runtime, PostgreSQL, and what Odoo's browser tests need (without them
# every tour is silently skipped).
test_prerequisites() {
  "$REPO_ROOT/scripts/bootstrap.sh" --browser || exit 1
  "$REPO_ROOT/scripts/pg.sh" start || exit 1
  "$VENV_DIR/bin/python" -c "import websocket" || die "websocket-client missing: browser tours would be skipped"
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || die "chromium missing: browser tours would be skipped"
}

# free_test_port: the HTTP port of the test server (tours), refused when taken, so that a running
# `make run` (8069) does not break the tours.
free_test_port() {
  local port="${STORE_TEST_HTTP_PORT:-18069}"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken; set STORE_TEST_HTTP_PORT to a free port"
  fi
  echo "$port"
}

# show_test_log: what of Odoo's test log a reader follows live.
show_test_log() {
  grep --line-buffered -E " (ERROR|CRITICAL|WARNING) |odoo\.tests\.(result|stats)|Starting |skipped|FAIL|tests when loading" \
    | grep --line-buffered -v "py.warnings: .*DeprecationWarning"
}

# test_verdict LOG RC START: prints `N passed, N failed, N skipped` from Odoo's test log and exits
# non-zero on any failed, errored or SKIPPED test, on any ERROR line, or when no test ran.
test_verdict() {
  local log="$1" rc="$2" start="$3" summary failed total skipped errors passed
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
  exit "$rc"
}
