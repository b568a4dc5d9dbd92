#!/usr/bin/env bash
# Makes the test services available and exports where they are.
#
#   source scripts/services.sh      # from another script: services up + env vars exported into that shell
#   bash scripts/services.sh        # by hand: services up, then prints the env vars as `export` lines
#
# What it provides (installing with apt-get only what is missing, starting only what does not answer):
#   Redis       127.0.0.1:6390 (a dedicated instance, not Debian's 6379 service, so tests may FLUSHDB freely)
#   Redis Cluster  three masters on 127.0.0.1:7101-7103 (no replicas), for the ephemeral tier's cluster tests
#   PostgreSQL  127.0.0.1:5432, role extstorage/extstorage, database extstorage_test owned by it
#   Chromium    /usr/bin/chromium and /usr/bin/chromedriver (Debian's packages: nothing downloads a browser)
#   wrk         only with WITH_BENCH_TOOLS=1 (the benchmark needs it, the tests do not)
#
# Exports: EXT_STORAGE_TEST_REDIS_URL, EXT_STORAGE_TEST_REDIS_CLUSTER_URL, EXT_STORAGE_TEST_PG_URL, CHROME_BIN,
# CHROMEDRIVER.
# Also defines extstorage_pg_create_db NAME [--fresh] for tests that want a database of their own.
#
# Knobs (environment):
#   WITH_BENCH_TOOLS=1            also install wrk
#   EXT_STORAGE_SERVICES_DIR      scratch folder for the Redis instance (default ${TMPDIR:-/tmp}/extstorage-services)
#   EXT_STORAGE_SERVICES_WAIT     seconds to wait for each service to answer (default 30)
#   EXT_STORAGE_CLUSTER_DIR       scratch folder of the cluster's nodes (default ${TMPDIR:-/tmp}/extstorage-cluster)
#   EXT_STORAGE_CLUSTER_PORTS     the cluster's ports (default "7101 7102 7103"; three, one master each)
#
# Written for a fresh Debian 12 machine as root (CI), where systemd may be absent. It is safe to run again and
# again: every step first checks whether its result already exists. Failures are loud: a message naming what
# is missing and a non-zero status (return when sourced, so the caller's `set -e` stops it; exit when run).
#
# Everything lives in functions and uses explicit `|| return 1` rather than relying on `set -e`, because when
# this file is sourced it runs under the caller's shell options, and `set -e` is ignored inside functions that
# are called from a condition.

EXTSTORAGE_REDIS_PORT=6390
EXTSTORAGE_CLUSTER_PORTS="${EXT_STORAGE_CLUSTER_PORTS:-7101 7102 7103}"
EXTSTORAGE_PG_PORT=5432
EXTSTORAGE_PG_USER=extstorage
EXTSTORAGE_PG_PASSWORD=extstorage
EXTSTORAGE_PG_DB=extstorage_test

_svc_log() { printf '[services] %s\n' "$*" >&2; }
_svc_fail() { printf '[services] ERROR: %s\n' "$*" >&2; return 1; }

# dpkg's own view, not `command -v`: a binary on PATH from elsewhere would not prove the package's files
# (e.g. chromium's shared libraries, postgresql's cluster tools) are present.
_svc_pkg_installed() {
  dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

# Installs the given packages that are missing. `apt-get update` runs at most once per shell, and only when
# something must be installed, so a machine that already has everything never touches the network.
_svc_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    _svc_pkg_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    _svc_fail "packages missing (${missing[*]}) and not running as root: install them with apt-get first"
    return 1
  fi
  command -v apt-get >/dev/null || { _svc_fail "packages missing (${missing[*]}) and no apt-get here"; return 1; }

  # Another process (another helper, unattended-upgrades) may hold the dpkg lock: wait for it instead of
  # failing at once.
  local apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  local t0=$SECONDS
  if [ -z "${_SVC_APT_UPDATED:-}" ]; then
    _svc_log "apt-get update (needed for: ${missing[*]})"
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -q >&2 \
      || { _svc_fail "apt-get update failed"; return 1; }
    _SVC_APT_UPDATED=1
  fi
  _svc_log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { _svc_fail "apt-get install ${missing[*]} failed"; return 1; }
  _svc_log "installed ${missing[*]} in $((SECONDS - t0)) s"
}

_svc_redis_answers() {
  [ "$(redis-cli -h 127.0.0.1 -p "$EXTSTORAGE_REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

_svc_start_redis() {
  if _svc_redis_answers; then
    _svc_log "redis already answers on 127.0.0.1:$EXTSTORAGE_REDIS_PORT"
    return 0
  fi
  local dir="${EXT_STORAGE_SERVICES_DIR:-${TMPDIR:-/tmp}/extstorage-services}/redis-$EXTSTORAGE_REDIS_PORT"
  mkdir -p "$dir" || { _svc_fail "cannot create $dir"; return 1; }
  _svc_log "starting redis on 127.0.0.1:$EXTSTORAGE_REDIS_PORT (dir $dir)"
  # No persistence: test data is disposable, and an RDB/AOF would only cost disk writes and time.
  redis-server --bind 127.0.0.1 --port "$EXTSTORAGE_REDIS_PORT" --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save '' --appendonly no \
    || { _svc_fail "redis-server did not start, see $dir/redis.log"; return 1; }
}

# The newest installed server version, e.g. 15 (a later Debian may ship another major).
_svc_pg_version() {
  local d v best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    v="${d#/usr/lib/postgresql/}"; v="${v%%/*}"
    if [ -z "$best" ] || [ "$v" -gt "$best" ]; then best="$v"; fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

_svc_pg_answers() {
  pg_isready -q -h 127.0.0.1 -p "$EXTSTORAGE_PG_PORT" >/dev/null 2>&1
}

# Runs a command as the postgres OS user (peer authentication over the Unix socket: no password needed).
# `cd /` because postgres cannot read root's home, and psql would complain about it.
_svc_as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    (cd / && "$@")
  elif [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    _svc_fail "need root (or the postgres user) to administer PostgreSQL"
    return 1
  fi
}

_svc_start_postgres() {
  if _svc_pg_answers; then
    _svc_log "postgresql already answers on 127.0.0.1:$EXTSTORAGE_PG_PORT"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || { _svc_fail "postgresql is not answering on 127.0.0.1:$EXTSTORAGE_PG_PORT and only root can start it"; return 1; }

  local version cluster
  version="$(_svc_pg_version)" || { _svc_fail "no PostgreSQL server installed under /usr/lib/postgresql"; return 1; }
  # Debian's postinst creates the cluster <version>/main on 5432; reuse whatever cluster is configured for our
  # port, and create one only if there is none (e.g. the install ran with cluster creation disabled).
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" -v p="$EXTSTORAGE_PG_PORT" '$1 == v && $3 == p { print $2; exit }')"
  if [ -z "$cluster" ]; then
    cluster=main
    if pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { f = 1 } END { exit !f }'; then
      cluster=extstorage   # main exists but on another port: leave it alone
    fi
    _svc_log "creating PostgreSQL cluster $version/$cluster on port $EXTSTORAGE_PG_PORT"
    pg_createcluster "$version" "$cluster" --port "$EXTSTORAGE_PG_PORT" >&2 \
      || { _svc_fail "pg_createcluster $version $cluster failed"; return 1; }
  fi
  _svc_log "starting PostgreSQL cluster $version/$cluster"
  # Without systemd (containers, CI) pg_ctlcluster starts the server itself; with systemd it delegates to
  # postgresql@<v>-<cluster>. Either way it handles a stale postmaster.pid left by a killed machine.
  pg_ctlcluster "$version" "$cluster" start >&2 \
    || { _svc_fail "pg_ctlcluster $version $cluster start failed, see /var/log/postgresql/postgresql-$version-$cluster.log"; return 1; }
}

# Can the test role log in with its password over TCP, exactly as the JDBC URL will?
_svc_pg_role_works() {
  PGPASSWORD="$EXTSTORAGE_PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -w -h 127.0.0.1 -p "$EXTSTORAGE_PG_PORT" \
    -U "$EXTSTORAGE_PG_USER" -d "$EXTSTORAGE_PG_DB" -tAc 'select 1' 2>/dev/null | grep -qx 1
}

_svc_psql_admin() {
  _svc_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$EXTSTORAGE_PG_PORT" -d postgres "$@"
}

_svc_setup_pg_role_and_db() {
  if _svc_pg_role_works; then
    return 0
  fi
  _svc_log "creating role $EXTSTORAGE_PG_USER and database $EXTSTORAGE_PG_DB"
  # ALTER after CREATE-if-missing: also repairs a role left with another password or without LOGIN.
  # CREATEDB lets tests make their own scratch databases over JDBC.
  if ! _svc_psql_admin -tAc "select 1 from pg_roles where rolname = '$EXTSTORAGE_PG_USER'" | grep -qx 1; then
    _svc_psql_admin -c "create role $EXTSTORAGE_PG_USER" || { _svc_fail "cannot create role $EXTSTORAGE_PG_USER"; return 1; }
  fi
  _svc_psql_admin -c "alter role $EXTSTORAGE_PG_USER with login createdb password '$EXTSTORAGE_PG_PASSWORD'" \
    || { _svc_fail "cannot set up role $EXTSTORAGE_PG_USER"; return 1; }
  if ! _svc_psql_admin -tAc "select 1 from pg_database where datname = '$EXTSTORAGE_PG_DB'" | grep -qx 1; then
    _svc_psql_admin -c "create database $EXTSTORAGE_PG_DB owner $EXTSTORAGE_PG_USER" \
      || { _svc_fail "cannot create database $EXTSTORAGE_PG_DB"; return 1; }
  fi
  _svc_pg_role_works || {
    _svc_fail "role $EXTSTORAGE_PG_USER still cannot log in with its password over 127.0.0.1:$EXTSTORAGE_PG_PORT (check pg_hba.conf: a 'host' line for 127.0.0.1/32 with scram-sha-256 or md5)"
    return 1
  }
}

# Polls until the check passes, for at most EXT_STORAGE_SERVICES_WAIT seconds.
_svc_wait_for() {
  local what="$1" check="$2" limit="${EXT_STORAGE_SERVICES_WAIT:-30}" t0=$SECONDS
  until "$check"; do
    if [ $((SECONDS - t0)) -ge "$limit" ]; then
      _svc_fail "$what did not answer within ${limit} s"
      return 1
    fi
    sleep 0.5
  done
}

# Creates (if missing) a scratch database owned by the test role and prints its JDBC URL.
# With --fresh, drops it first. Usage: extstorage_pg_create_db my_test_db [--fresh]
extstorage_pg_create_db() {
  local name="${1:-}" fresh="${2:-}"
  case "$name" in
    ''|*[!a-z0-9_]*) _svc_fail "extstorage_pg_create_db: name must be [a-z0-9_]+, got '$name'"; return 1 ;;
  esac
  if [ "$fresh" = --fresh ]; then
    _svc_psql_admin -c "drop database if exists $name with (force)" || return 1
  fi
  if ! _svc_psql_admin -tAc "select 1 from pg_database where datname = '$name'" | grep -qx 1; then
    _svc_psql_admin -c "create database $name owner $EXTSTORAGE_PG_USER" || { _svc_fail "cannot create database $name"; return 1; }
  fi
  printf 'jdbc:postgresql://127.0.0.1:%s/%s?user=%s&password=%s\n' \
    "$EXTSTORAGE_PG_PORT" "$name" "$EXTSTORAGE_PG_USER" "$EXTSTORAGE_PG_PASSWORD"
}

# --- Redis Cluster: three masters on loopback, no replicas (tests need the sharding, not fail-over) ---------
# Each node keeps its cluster state in nodes-<port>.conf in its folder, so nodes restarted after a crash or a
# reboot (same folder) rejoin their cluster by themselves; a cluster that does not come back to ok in a few
# seconds (a folder lost for some nodes only) is reset and created again: its data is test data.

_svc_cluster_node_answers() {
  [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]
}

_svc_cluster_all_answer() {
  local port
  for port in $EXTSTORAGE_CLUSTER_PORTS; do _svc_cluster_node_answers "$port" || return 1; done
}

# ok on every node, and each node sees exactly the configured masters (not a stale node of an older cluster).
_svc_cluster_ok() {
  local port info want
  want="$(echo $EXTSTORAGE_CLUSTER_PORTS | wc -w)"
  for port in $EXTSTORAGE_CLUSTER_PORTS; do
    info="$(redis-cli -h 127.0.0.1 -p "$port" cluster info 2>/dev/null | tr -d '\r')" || return 1
    grep -qx 'cluster_state:ok' <<<"$info" || return 1
    grep -qx "cluster_known_nodes:$want" <<<"$info" || return 1
  done
}

# How many nodes have no slot: fresh nodes (a folder lost, or never made) know no cluster.
_svc_cluster_fresh_nodes() {
  local port n=0
  for port in $EXTSTORAGE_CLUSTER_PORTS; do
    redis-cli -h 127.0.0.1 -p "$port" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_slots_assigned:0' \
      && n=$((n + 1))
  done
  echo "$n"
}

_svc_cluster_start_nodes() {
  local base="${EXT_STORAGE_CLUSTER_DIR:-${TMPDIR:-/tmp}/extstorage-cluster}" port dir
  for port in $EXTSTORAGE_CLUSTER_PORTS; do
    _svc_cluster_node_answers "$port" && continue
    dir="$base/$port"
    mkdir -p "$dir" || { _svc_fail "cannot create $dir"; return 1; }
    _svc_log "starting redis cluster node on 127.0.0.1:$port (dir $dir)"
    # No persistence, as for the single Redis; node-timeout short so a restarted node is judged quickly.
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000 \
      || { _svc_fail "redis-server on port $port did not start, see $dir/redis.log"; return 1; }
  done
}

# Polls `check` every 0.2 s for at most `seconds`.
_svc_poll() {
  local seconds="$1" check="$2" i
  for ((i = 0; i < seconds * 5; i++)); do
    "$check" && return 0
    sleep 0.2
  done
  "$check"
}

_svc_cluster_create() {
  local port nodes=()
  for port in $EXTSTORAGE_CLUSTER_PORTS; do nodes+=("127.0.0.1:$port"); done
  _svc_log "creating redis cluster ${nodes[*]}"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null \
    || { _svc_fail "redis-cli --cluster create ${nodes[*]} failed"; return 1; }
}

_svc_cluster_reset() {
  local port
  _svc_log "redis cluster not ok: resetting its nodes (test data only) to create it again"
  for port in $EXTSTORAGE_CLUSTER_PORTS; do
    redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null 2>&1
    redis-cli -h 127.0.0.1 -p "$port" cluster reset hard >/dev/null \
      || { _svc_fail "cannot reset the cluster node on port $port"; return 1; }
  done
}

extstorage_redis_cluster_up() {
  local t0=$SECONDS
  _svc_cluster_start_nodes || return 1
  _svc_wait_for "redis cluster nodes on 127.0.0.1 ($EXTSTORAGE_CLUSTER_PORTS)" _svc_cluster_all_answer || return 1
  if ! _svc_cluster_ok; then
    local fresh all
    fresh="$(_svc_cluster_fresh_nodes)"
    all="$(echo $EXTSTORAGE_CLUSTER_PORTS | wc -w)"
    # all fresh: create; some fresh: the others remember a cluster these cannot rejoin, reset; none fresh:
    # restarted nodes rejoining, which takes a moment (node-timeout), else reset
    if [ "$fresh" -ne "$all" ] && { [ "$fresh" -gt 0 ] || ! _svc_poll 5 _svc_cluster_ok; }; then
      _svc_cluster_reset || return 1
    fi
    if ! _svc_cluster_ok; then
      _svc_cluster_create || return 1
      _svc_poll 10 _svc_cluster_ok || { _svc_fail "redis cluster did not reach cluster_state:ok"; return 1; }
    fi
  fi
  local port urls=()
  for port in $EXTSTORAGE_CLUSTER_PORTS; do urls+=("127.0.0.1:$port"); done
  EXT_STORAGE_TEST_REDIS_CLUSTER_URL="redis-cluster://$(IFS=,; echo "${urls[*]}")"
  export EXT_STORAGE_TEST_REDIS_CLUSTER_URL
  _svc_log "redis cluster ok in $((SECONDS - t0)) s: $EXT_STORAGE_TEST_REDIS_CLUSTER_URL"
}

extstorage_services_up() {
  local t0=$SECONDS
  local pkgs=(redis-server postgresql chromium chromium-driver)
  [ "${WITH_BENCH_TOOLS:-}" = 1 ] && pkgs+=(wrk)
  _svc_apt_install "${pkgs[@]}" || return 1

  _svc_start_redis || return 1
  _svc_start_postgres || return 1
  _svc_wait_for "redis on 127.0.0.1:$EXTSTORAGE_REDIS_PORT" _svc_redis_answers || return 1
  _svc_wait_for "postgresql on 127.0.0.1:$EXTSTORAGE_PG_PORT" _svc_pg_answers || return 1
  _svc_setup_pg_role_and_db || return 1
  extstorage_redis_cluster_up || return 1

  # An explicit CHROME_BIN/CHROMEDRIVER wins (a developer's own browser); both must run either way.
  CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  "$CHROME_BIN" --version >/dev/null 2>&1 || { _svc_fail "$CHROME_BIN does not run"; return 1; }
  "$CHROMEDRIVER" --version >/dev/null 2>&1 || { _svc_fail "$CHROMEDRIVER does not run"; return 1; }
  if [ "${WITH_BENCH_TOOLS:-}" = 1 ]; then
    command -v wrk >/dev/null || { _svc_fail "wrk is missing"; return 1; }
  fi

  export EXT_STORAGE_TEST_REDIS_URL="redis://127.0.0.1:$EXTSTORAGE_REDIS_PORT/0"
  export EXT_STORAGE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$EXTSTORAGE_PG_PORT/$EXTSTORAGE_PG_DB?user=$EXTSTORAGE_PG_USER&password=$EXTSTORAGE_PG_PASSWORD"
  export CHROME_BIN CHROMEDRIVER
  _svc_log "ready in $((SECONDS - t0)) s: redis :$EXTSTORAGE_REDIS_PORT, postgresql :$EXTSTORAGE_PG_PORT, $("$CHROME_BIN" --version 2>/dev/null)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run directly: bring everything up, then show the variables so a shell can `eval` them.
  set -euo pipefail
  extstorage_services_up || exit 1
  printf 'export EXT_STORAGE_TEST_REDIS_URL=%q\n' "$EXT_STORAGE_TEST_REDIS_URL"
  printf 'export EXT_STORAGE_TEST_REDIS_CLUSTER_URL=%q\n' "$EXT_STORAGE_TEST_REDIS_CLUSTER_URL"
  printf 'export EXT_STORAGE_TEST_PG_URL=%q\n' "$EXT_STORAGE_TEST_PG_URL"
  printf 'export CHROME_BIN=%q\n' "$CHROME_BIN"
  printf 'export CHROMEDRIVER=%q\n' "$CHROMEDRIVER"
else
  # Sourced: the caller gets the exports, or a non-zero status that its `set -e` turns into a stop.
  extstorage_services_up || return 1
fi
