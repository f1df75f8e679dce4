#!/usr/bin/env bash
# Prepares the primary (service `db` of docker-compose.yml) for the streaming replica of the
# `scale` profile (service `db-replica`). The official postgres image runs this once, when it
# creates the cluster (/docker-entrypoint-initdb.d). On a cluster created before, run it once by hand:
#   docker compose exec -u postgres db bash /docker-entrypoint-initdb.d/10-replication.sh
# Without REPLICATION_PASSWORD it does nothing: no replication role, no pg_hba line.
set -euo pipefail

if [ -z "${REPLICATION_PASSWORD:-}" ]; then
    echo "10-replication.sh: REPLICATION_PASSWORD is empty, no streaming replica prepared"
    exit 0
fi
REPLICATION_USER="${REPLICATION_USER:-replicator}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I WITH REPLICATION LOGIN PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH REPLICATION LOGIN PASSWORD %L', :'role', :'password') \gexec
-- PostgreSQL 15's defaults, pinned: WAL for a physical replica, senders for it.
ALTER SYSTEM SET wal_level = 'replica';
ALTER SYSTEM SET max_wal_senders = 10;
-- The replica's slot keeps the WAL it has not received yet, but never more than this.
ALTER SYSTEM SET max_slot_wal_keep_size = '10GB';
SQL

# Replication connections are not matched by the image's `host all all all` line.
if ! grep -q "^host replication ${REPLICATION_USER} " "$PGDATA/pg_hba.conf"; then
    echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "SELECT pg_reload_conf()" >/dev/null
