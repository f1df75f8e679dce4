# Database helpers, sourced by run.sh and test.sh (after env.sh).
# Our addons: every folder of addons/ with a manifest.
our_addons() {
  local names=()
  for m in "$REPO_ROOT"/addons/*/__manifest__.py; do names+=("$(basename "$(dirname "$m")")"); done
  (IFS=,; echo "${names[*]}")
}

psql_db() { "$PG_BIN/psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -qtA "$@"; }

db_exists() { [ "$(psql_db -d postgres -c "select 1 from pg_database where datname='$1'")" = 1 ]; }

# create_db NAME [ODOO ARGS...]: a new database with demo data, Chinese and China (CNY) as the
# company's country, in three steps: (1) empty database; (2) the core apps, so that accounting
# installs the Chinese chart of accounts (l10n_cn) before anything needs it; (3) our addons.
# ODOO ARGS go to step 3 (e.g. --test-enable).
create_db() {
  local db="$1"; shift
  local modules="${CREATE_DB_MODULES:-$(our_addons)}"
  say "creating database $db (demo data, zh_CN, CNY)"
  "$REPO_ROOT/bin/odoo" db init "$db" --force --with-demo --language zh_CN --country CN
  say "installing core apps in $db"
  "$REPO_ROOT/bin/odoo" -d "$db" -i point_of_sale,pos_hr,stock --stop-after-init --log-level=warn
  say "installing $modules in $db"
  "$REPO_ROOT/bin/odoo" -d "$db" -i "$modules" --stop-after-init "$@"
}
