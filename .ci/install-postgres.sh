#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages, starts a cluster on localhost
# and makes the role and database the claim-history tests use
# (scrubber/history). Idempotent, and quick when all is there already.
#
# Its only output on stdout is the line to evaluate, so .ci/run does
#   eval "$(bash .ci/install-postgres.sh)"
# and the tests find SCRUB837_TEST_POSTGRES; progress goes to stderr. Run by
# hand, it prints the same export line for a developer's shell.
# Where it cannot install (no apt-get, not root) it says so on stderr and
# exports nothing; the PostgreSQL tests then skip, or fail when CI=true.
set -euo pipefail

say() { echo "install-postgres: $*" >&2; }

role=scrub837
password=scrub837
database=scrub837_test
port=5432

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
		say "no PostgreSQL here and no way to install it (needs apt-get as root); the PostgreSQL tests will skip"
		exit 0
	fi
	say "installing postgresql with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
	say "creating cluster $version/main"
	pg_createcluster --port "$port" "$version" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
	say "starting cluster $version/main on port $port"
	pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 60); do
	pg_isready -q -h 127.0.0.1 -p "$port" && break
	sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2

psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
	say "creating role $role"
	psql_admin -c "CREATE ROLE $role LOGIN PASSWORD '$password'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
	say "creating database $database"
	psql_admin -c "CREATE DATABASE $database OWNER $role" >&2
fi

dsn="postgres://$role:$password@127.0.0.1:$port/$database?sslmode=disable"
say "PostgreSQL $version is up; SCRUB837_TEST_POSTGRES=$dsn"
echo "export SCRUB837_TEST_POSTGRES='$dsn'"
