# Shared settings for every script and bin/odoo. Sourced, never run.
# Everything big lives in a cache OUTSIDE the repo so reruns are fast; nothing depends on it being there.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
CACHE_DIR="${STORE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/store-chain}"
RUN_DIR="${STORE_RUN_DIR:-$REPO_ROOT/.run}"          # git-ignored: PG cluster, filestore, logs, odoo.conf

# --- Odoo 19.0 Community, pinned (Debian sid binary package; see shared/odoo-runtime.md) ---
ODOO_DEB_VERSION="19.0.0+dfsg-1"
ODOO_DEB_SHA256="9d2f598b0555db17e291d48ed24df184c70823c053c4c5ed53c467ca7f629bbf"
ODOO_PREFIX="$CACHE_DIR/odoo-$ODOO_DEB_VERSION"
# Override: ODOO_SOURCE=/path/to/odoo-19-tree (a git checkout of odoo 19.0 or an unpacked package:
# the folder that contains the `odoo` Python package).
if [ -n "${ODOO_SOURCE:-}" ]; then
  ODOO_ROOT="$ODOO_SOURCE"
else
  ODOO_ROOT="$ODOO_PREFIX/usr/lib/python3/dist-packages"
fi

# --- Python virtual environment, keyed by the requirement files and the interpreter ---
PYTHON="${PYTHON:-python3}"
_req_hash=$(cat "$REPO_ROOT/requirements.txt" "$REPO_ROOT/requirements-dev.txt" "$REPO_ROOT/requirements-oca.txt" | { cat; "$PYTHON" -VV; } | sha256sum | cut -c1-12)
VENV_DIR="${STORE_VENV:-$CACHE_DIR/venv-$_req_hash}"

# --- PostgreSQL: an existing server named by PGHOST (and PGPORT/PGUSER/PGPASSWORD), or a local cluster ---
if [ -n "${PGHOST:-}" ]; then
  PG_EXTERNAL=1
  DB_HOST="$PGHOST"; DB_PORT="${PGPORT:-5432}"; DB_USER="${PGUSER:-odoo}"; DB_PASSWORD="${PGPASSWORD:-}"
else
  PG_EXTERNAL=0
  DB_HOST="127.0.0.1"; DB_PORT="${STORE_PG_PORT:-54329}"; DB_USER="odoo"; DB_PASSWORD=""
fi
PG_DIR="$RUN_DIR"
# As root the cluster runs as the `postgres` OS user, which may not reach a checkout under a private
# folder (e.g. /root): then the cluster lives in a per-checkout folder under /var/tmp.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
   && ! runuser -u postgres -- test -x "$(dirname "$RUN_DIR")" 2>/dev/null; then
  PG_DIR="/var/tmp/store-chain-pg-$(echo "$REPO_ROOT" | sha256sum | cut -c1-12)"
fi
PG_DATA="$PG_DIR/pgdata"
PG_SOCK="$PG_DIR/pgsock"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

ODOO_CONF="$RUN_DIR/odoo.conf"
HTTP_PORT="${STORE_HTTP_PORT:-8069}"

die() { echo "ERROR: $*" >&2; exit 1; }
say() { echo ">>> $*" >&2; }
