#!/usr/bin/env bash
# `make run`: set everything up (first call), create the demo database once, serve it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/db.sh"
DB="${STORE_DB:-store_demo}"
"$REPO_ROOT/scripts/bootstrap.sh"
"$REPO_ROOT/scripts/pg.sh" start
installed() { [ "$(psql_db -d "$DB" -c "select state from ir_module_module where name='store_pos_ext'" 2>/dev/null)" = installed ]; }
if ! db_exists "$DB" || ! installed; then
  CREATE_DB_MODULES="$(demo_addons)" create_db "$DB" --log-level=warn
else
  # Addons added to the repository since the database was made are installed (with their demo data).
  missing=()
  for addon in $(demo_addons | tr , ' '); do
    state="$(psql_db -d "$DB" -c "select state from ir_module_module where name='$addon'" 2>/dev/null || true)"
    [ "$state" = installed ] || missing+=("$addon")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} in $DB"
    "$REPO_ROOT/bin/odoo" -d "$DB" -i "$(IFS=,; echo "${missing[*]}")" --stop-after-init --log-level=warn
  fi
  # Addons whose manifest version moved on since (new fields, data, migrations) are updated.
  outdated=()
  for addon in $(our_addons | tr , ' '); do
    want="$(python3 -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' \
      "$REPO_ROOT/addons/$addon/__manifest__.py")"
    have="$(psql_db -d "$DB" -c "select latest_version from ir_module_module where name='$addon' and state='installed'" 2>/dev/null || true)"
    [ -z "$have" ] || [ "$have" = "$want" ] || outdated+=("$addon")
  done
  if [ "${#outdated[@]}" -gt 0 ]; then
    say "updating ${outdated[*]} in $DB"
    "$REPO_ROOT/bin/odoo" -d "$DB" -u "$(IFS=,; echo "${outdated[*]}")" --stop-after-init --log-level=warn
  fi
fi
cat <<MSG

  Store chain demo:  http://127.0.0.1:$HTTP_PORT   (database $DB; stop with Ctrl-C)
  Every demo password is demo1234 (admin: admin/admin)
    hq_admin        总部管理员 HQ administrator — all stores
    hq_analyst      总部分析师 HQ analyst — reads all stores
    east_manager    华东区经理 region manager — 徐汇, 浦东, 西湖
    xuhui_manager   上海徐汇店 店长        xuhui_cashier    上海徐汇店 收银员
    pudong_manager  上海浦东店 店长        pudong_cashier   上海浦东店 收银员
    xihu_manager    杭州西湖店 店长        xihu_cashier     杭州西湖店 收银员
    chaoyang_manager 北京朝阳店 店长       chaoyang_cashier 北京朝阳店 收银员

MSG
exec "$REPO_ROOT/bin/odoo" -d "$DB" --db-filter="^$DB\$" --log-level=info
