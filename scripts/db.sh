# Database helpers, sourced by run.sh and test.sh (after env.sh).
# Our addons: every folder of addons/ with a manifest.
our_addons() {
  local names=()
  for m in "$REPO_ROOT"/addons/*/__manifest__.py; do names+=("$(basename "$(dirname "$m")")"); done
  (IFS=,; echo "${names[*]}")
}

# The addons of the demo (`make run`): ours, but the eLearning bridge only with STORE_WITH_SLIDES=1:
# it pulls in website_slides and so website, whose placeholder site would answer the demo's `/`.
demo_addons() {
  local names=()
  for addon in $(our_addons | tr , ' '); do
    [ "$addon" != store_training_slides ] || [ "${STORE_WITH_SLIDES:-0}" = 1 ] || continue
    names+=("$addon")
  done
  (IFS=,; echo "${names[*]}")
}

psql_db() { "$PG_BIN/psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -qtA "$@"; }

db_exists() { [ "$(psql_db -d postgres -c "select 1 from pg_database where datname='$1'")" = 1 ]; }

# create_db NAME [ODOO ARGS...]: a new database with demo data, Chinese and China (CNY) as the
# company's country, in three steps: (1) empty database; (2) the core apps, so that accounting
# installs the Chinese chart of accounts (l10n_cn) before anything needs it; (3) our addons.
# ODOO ARGS go to step 3 (e.g. --test-enable). CREATE_DB_INIT_ARGS replaces the demo data, language
# and country of step 1 (make test-core builds an English database without demo data and without
# country, as Odoo's own CI does).
create_db() {
  local db="$1"; shift
  local modules="${CREATE_DB_MODULES:-$(our_addons)}"
  local init_args="${CREATE_DB_INIT_ARGS:---with-demo --language zh_CN --country CN}"
  say "creating database $db ($init_args)"
  # shellcheck disable=SC2086 # init_args is a list of options
  "$REPO_ROOT/bin/odoo" db init "$db" --force $init_args
  say "installing core apps in $db"
  "$REPO_ROOT/bin/odoo" -d "$db" -i point_of_sale,pos_hr,stock --stop-after-init --log-level=warn
  say "installing $modules in $db"
  "$REPO_ROOT/bin/odoo" -d "$db" -i "$modules" --stop-after-init "$@"
}
