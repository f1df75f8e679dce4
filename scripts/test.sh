#!/usr/bin/env bash
# `make test`: set everything up, build a fresh test database with all our addons (demo data included)
# and run every test of our addons and of tests/ (Python tests and POS tours in headless Chromium).
# Fails on any failed, errored or SKIPPED test and on any ERROR in the log.
set -uo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/testing.sh"
DB="${STORE_TEST_DB:-store_test}"
test_prerequisites
test_port="$(free_test_port)" || exit 1

modules="$(our_addons),$(cd "$REPO_ROOT/tests" && ls -d */ | tr -d / | paste -sd,)"
tags="$(echo "$modules" | sed 's/\([^,]*\)/\/\1/g')"
log="$RUN_DIR/test.log"
mkdir -p "$RUN_DIR"
start=$(date +%s)
CREATE_DB_MODULES="$modules" create_db "$DB" --test-enable --test-tags "$tags" --log-level=test --http-port "$test_port" \
  2>&1 | tee "$log" | show_test_log
test_verdict "$log" "${PIPESTATUS[0]}" "$start"
