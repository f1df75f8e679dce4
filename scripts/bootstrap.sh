#!/usr/bin/env bash
# Sets up everything the project needs, idempotently: system packages, Odoo 19 (pinned), the Python venv,
# and the config file bin/odoo uses. Usage: scripts/bootstrap.sh [--browser]
#   --browser   also make sure Chromium is installed (needed for the POS tours in `make test`).
set -euo pipefail
source "$(dirname "$0")/env.sh"
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1
mkdir -p "$CACHE_DIR" "$RUN_DIR"

# ---------------------------------------------------------------- system packages (Debian)
apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    die "missing system package(s): $*. Install them (sudo apt-get install $*) and run again."
  fi
  if [ $apt_updated = 0 ]; then say "apt-get update"; apt-get update -qq; apt_updated=1; fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
need_pkgs=()
if [ "$PG_EXTERNAL" = 0 ] && [ ! -x "${PG_BIN:-/nonexistent}/initdb" ]; then need_pkgs+=(postgresql); fi
command -v pg_config >/dev/null 2>&1 || need_pkgs+=(libpq-dev)      # psycopg2 builds against libpq
[ -e /usr/lib/x86_64-linux-gnu/libmagic.so.1 ] || [ -n "$(ldconfig -p 2>/dev/null | grep libmagic.so.1)" ] || need_pkgs+=(libmagic1)
# A stock Debian python3 needs these to build the venv and psycopg2 (a pyenv Python has them).
"$PYTHON" -c "import venv, ensurepip" 2>/dev/null || need_pkgs+=(python3-venv)
"$PYTHON" -c "import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))" \
  2>/dev/null || need_pkgs+=(python3-dev)
command -v cc >/dev/null 2>&1 || need_pkgs+=(build-essential)
if [ $want_browser = 1 ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  need_pkgs+=(chromium)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then apt_install "${need_pkgs[@]}"; fi

# ---------------------------------------------------------------- Odoo 19.0 Community
if [ -n "${ODOO_SOURCE:-}" ]; then
  [ -f "$ODOO_ROOT/odoo/release.py" ] || die "ODOO_SOURCE=$ODOO_SOURCE does not contain odoo/release.py"
  grep -q "version_info = (19, 0" "$ODOO_ROOT/odoo/release.py" || die "ODOO_SOURCE=$ODOO_SOURCE is not Odoo 19.0"
elif [ ! -f "$ODOO_PREFIX/.complete" ]; then
  say "fetching Odoo $ODOO_DEB_VERSION from Debian sid (once; cached in $CACHE_DIR)"
  mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  apt_dir="$CACHE_DIR/apt"; debs="$CACHE_DIR/debs"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || die "$keyring missing: apt-get install debian-archive-keyring"
  cat > "$apt_dir/sources.list" <<SRC
deb [signed-by=$keyring] $mirror bookworm main
deb [signed-by=$keyring] $mirror trixie main
deb [signed-by=$keyring] $mirror sid main
SRC
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
            -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq)
  odoo_deb="$debs/odoo-19_${ODOO_DEB_VERSION}_all.deb"
  if [ ! -f "$odoo_deb" ] || ! echo "$ODOO_DEB_SHA256  $odoo_deb" | sha256sum -c --status; then
    apt-get "${apt_opts[@]}" update
    (cd "$debs" && rm -f odoo-19_*.deb && apt-get "${apt_opts[@]}" download "odoo-19=$ODOO_DEB_VERSION") \
      || die "odoo-19=$ODOO_DEB_VERSION is no longer in Debian sid. Point ODOO_SOURCE at an Odoo 19.0 source tree
       (e.g. a checkout of the 19.0 branch: ODOO_SOURCE=/path/to/odoo make run) or update the pin in scripts/env.sh."
    mv "$debs"/odoo-19_*.deb "$odoo_deb" 2>/dev/null || true
    echo "$ODOO_DEB_SHA256  $odoo_deb" | sha256sum -c --status \
      || die "checksum mismatch for $odoo_deb (expected $ODOO_DEB_SHA256)"
    # Static files the package links to instead of bundling (fonts, jQuery...).
    (cd "$debs" && apt-get "${apt_opts[@]}" download fonts-font-awesome/bookworm fonts-roboto-unhinted/bookworm \
        fonts-ocr-b/bookworm fonts-inconsolata/bookworm libjs-jquery/bookworm libjs-jquery-form/bookworm \
        libjs-underscore/bookworm fonts-montserrat/trixie)
  fi
  rm -rf "$ODOO_PREFIX.tmp" && mkdir -p "$ODOO_PREFIX.tmp"
  for f in "$debs"/*.deb; do dpkg -x "$f" "$ODOO_PREFIX.tmp"; done
  rm -rf "$ODOO_PREFIX" && mv "$ODOO_PREFIX.tmp" "$ODOO_PREFIX"
  touch "$ODOO_PREFIX/.complete"
fi

# Debian strips mail's MediaPipe library (video-call background blur, non-free); the web client's
# asset bundle still lists it and reports an error on every page. A stub keeps the bundle whole
# (blur stays unavailable).
if [ -z "${ODOO_SOURCE:-}" ]; then
  selfie="$ODOO_ROOT/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js"
  if [ ! -f "$selfie" ]; then
    mkdir -p "$(dirname "$selfie")"
    echo "/* Stub: MediaPipe selfie_segmentation is not shipped by Debian; background blur is unavailable. */" > "$selfie"
  fi
fi

# ---------------------------------------------------------------- Python venv
if [ ! -f "$VENV_DIR/.complete" ]; then
  say "creating Python venv $VENV_DIR"
  rm -rf "$VENV_DIR"
  "$PYTHON" -m venv "$VENV_DIR"
  pip_log="$CACHE_DIR/pip.log"
  { "$VENV_DIR/bin/pip" install -q --upgrade "pip==24.3.1" "setuptools<80" wheel &&
    "$VENV_DIR/bin/pip" install -q -r "$REPO_ROOT/requirements-dev.txt" &&
    "$VENV_DIR/bin/pip" install -q --no-deps -r "$REPO_ROOT/requirements-oca.txt"; } 2>"$pip_log" \
    || { grep -v "is ignored: it is neither" "$pip_log" >&2; die "pip install failed (log: $pip_log)"; }
  touch "$VENV_DIR/.complete"
fi

# ---------------------------------------------------------------- odoo.conf for this checkout
addons="$ODOO_ROOT/odoo/addons"
# A git checkout keeps most addons in ./addons; the Debian package has them all in odoo/addons
# (its top-level addons/ folder is a partial copy without data files: not used).
[ ! -d "$ODOO_ROOT/odoo/addons/web" ] && [ -d "$ODOO_ROOT/addons" ] && addons="$ODOO_ROOT/addons,$addons"
addons="$addons,$REPO_ROOT/addons,$REPO_ROOT/tests"
sed -e "s#@ADDONS_PATH@#$addons#" -e "s#@DATA_DIR@#$RUN_DIR/data#" \
    -e "s#@DB_HOST@#$DB_HOST#" -e "s#@DB_PORT@#$DB_PORT#" -e "s#@DB_USER@#$DB_USER#" \
    -e "s#@DB_PASSWORD@#${DB_PASSWORD:-False}#" -e "s#@HTTP_PORT@#$HTTP_PORT#" \
    "$REPO_ROOT/config/odoo.dev.conf" | { [ -n "$DB_PASSWORD" ] && cat || grep -v "^db_password = False"; } > "$ODOO_CONF.tmp"
mv "$ODOO_CONF.tmp" "$ODOO_CONF"
say "bootstrap ok: Odoo in $ODOO_ROOT, venv $VENV_DIR"
