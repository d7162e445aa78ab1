#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh from DIRECTORY, into the empty
# database named by DATABASE_URL (create it first: createdb -O sportello sportello)
# and into PRIVATE_FILES_ROOT (default $SPORTELLO_VAR_DIR/files), with the
# portal's processes stopped.
#
#   deploy/restore.sh /backups/sportello/2026-12-01
#
# Then start the processes again; if the code is newer than the backup, run
# `manage.py migrate` first. Sessions are in the database too: they come back as
# they were at the backup (and still end after 30 idle minutes).
set -euo pipefail

source_dir=${1:?usage: deploy/restore.sh DIRECTORY}
if [[ -z "${DATABASE_URL:-}" && -n "${DATABASE_URL_FILE:-}" ]]; then
    DATABASE_URL=$(<"$DATABASE_URL_FILE")
fi
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database}"
here=$(cd "$(dirname "$0")/.." && pwd)
files=${PRIVATE_FILES_ROOT:-${SPORTELLO_VAR_DIR:-$here/var}/files}

pg_restore --exit-on-error --single-transaction --no-owner --no-acl \
    --dbname="$DATABASE_URL" "$source_dir/database.dump"
if [[ -f "$source_dir/files.tar.gz" ]]; then
    mkdir -p "$files"
    tar --extract --gzip --file="$source_dir/files.tar.gz" --directory="$files"
fi
echo "Restored $source_dir"
