#!/usr/bin/env bash
# Back up Sportello into DIRECTORY: the database as pg_dump's custom format
# (database.dump) and the private files (files.tar.gz).
#
#   deploy/backup.sh /backups/sportello/$(date +%F)
#
# It reads the portal's own settings from the environment: DATABASE_URL (or
# DATABASE_URL_FILE), PRIVATE_FILES_STORAGE, PRIVATE_FILES_ROOT (default
# $SPORTELLO_VAR_DIR/files). Both run while the portal serves: pg_dump takes a
# consistent snapshot, and the files are archived after it, so every file the
# dump names is in the archive (files are only ever added under new names).
# With PRIVATE_FILES_STORAGE=s3 the files are in the bucket: keep them with the
# provider's versioning or replication (or `aws s3 sync`); only the database is
# dumped here.
set -euo pipefail

target=${1:?usage: deploy/backup.sh DIRECTORY}
if [[ -z "${DATABASE_URL:-}" && -n "${DATABASE_URL_FILE:-}" ]]; then
    DATABASE_URL=$(<"$DATABASE_URL_FILE")
fi
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
here=$(cd "$(dirname "$0")/.." && pwd)
files=${PRIVATE_FILES_ROOT:-${SPORTELLO_VAR_DIR:-$here/var}/files}

mkdir -p "$target"
pg_dump --format=custom --no-owner --no-acl --file="$target/database.dump" "$DATABASE_URL"
if [[ "${PRIVATE_FILES_STORAGE:-filesystem}" == filesystem ]]; then
    mkdir -p "$files"
    tar --create --gzip --file="$target/files.tar.gz" --directory="$files" .
fi
echo "Backed up to $target: $(ls "$target" | tr '\n' ' ')"
