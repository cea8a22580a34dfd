#!/usr/bin/env bash
# The project's own MariaDB server: a data directory inside the project (.db/), its own port and
# unix socket, so it never clashes with a system server. No Docker, no systemd. Its binary log is
# on (ROW): followers in other processes are woken by reading it (BinlogWake, issue #23).
#
#   scripts/db.sh start   install what is missing, initialise, start, create database and user
#   scripts/db.sh stop    stop it
#   scripts/db.sh status  say whether it runs
#   scripts/db.sh env     print the EVENTFLOW_MYSQL_* variables that reach it
#   scripts/db.sh deps    install the Debian packages the build and the server need
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/common.sh
. "$root_dir/scripts/common.sh"
db_dir="${EVENTFLOW_DB_DIR:-$root_dir/.db}"
port="${EVENTFLOW_DB_PORT:-33061}"
data_dir="$db_dir/data"
socket="$db_dir/mariadb.sock"
pid_file="$db_dir/mariadb.pid"
log_file="$db_dir/mariadb.log"

say() { printf 'db: %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  pkg-config --exists libmariadb 2>/dev/null || missing+=(libmariadb-dev)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  install_missing "${missing[@]}"
}

is_running() {
  [ -f "$pid_file" ] || return 1
  server_runs "$(cat "$pid_file" 2>/dev/null || true)" "$db_dir"
}


start() {
  install_packages
  mkdir -p "$db_dir" "$db_dir/tmp" "$db_dir/binlog"
  if is_running; then
    say "already running on 127.0.0.1:$port (pid $(cat "$pid_file"))"
    return 0
  fi
  if [ -f "$pid_file" ]; then
    say "removing stale pid file"
    rm -f "$pid_file" "$socket"
  fi
  local run_as=()
  [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  # The binary log, on unless EVENTFLOW_DB_BINLOG=off (to measure what it costs).
  local binlog=(--log-bin="$db_dir/binlog/mariadb-bin" --server-id=1 --binlog-format=ROW --max-binlog-size=64M
    --binlog-expire-logs-seconds=3600)
  [ "${EVENTFLOW_DB_BINLOG:-on}" = off ] && binlog=(--skip-log-bin)
  if [ ! -d "$data_dir/mysql" ]; then
    say "initialising $data_dir"
    rm -rf "$data_dir"
    mariadb-install-db --no-defaults --datadir="$data_dir" --auth-root-authentication-method=normal \
      --skip-test-db "${run_as[@]}" >"$db_dir/install.log" 2>&1 || { cat "$db_dir/install.log" >&2; exit 1; }
  fi
  say "starting mariadbd on 127.0.0.1:$port"
  setsid "$(mariadbd_bin)" --no-defaults --datadir="$data_dir" --socket="$socket" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$pid_file" --log-error="$log_file" "${run_as[@]}" \
    --skip-name-resolve --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=256M \
    --max-connections=2000 --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --tmpdir="$db_dir/tmp" \
    "${binlog[@]}" \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    if mariadb-admin -uroot --socket="$socket" ping >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  if ! mariadb-admin -uroot --socket="$socket" ping >/dev/null 2>&1; then
    say "mariadbd did not start; its log:"
    tail -n 30 "$log_file" >&2 || true
    exit 1
  fi
  create_database_and_user "$socket"
  say "running on 127.0.0.1:$port, socket $socket, database $database, user $user"
}

stop() {
  if ! is_running; then
    say "not running"
    rm -f "$pid_file"
    return 0
  fi
  stop_process "$(cat "$pid_file")" 30 mariadbd
}

print_env() {
  cat <<ENV
export EVENTFLOW_MYSQL_HOST=127.0.0.1
export EVENTFLOW_MYSQL_PORT=$port
export EVENTFLOW_MYSQL_USER=$user
export EVENTFLOW_MYSQL_PASS=$password
export EVENTFLOW_MYSQL_DB=$database
export EVENTFLOW_DB_SOCKET=$socket
ENV
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then say "running on 127.0.0.1:$port (pid $(cat "$pid_file"))"; else say "not running"; exit 1; fi ;;
  env) print_env ;;
  deps) install_packages ;;
  *) echo "usage: $0 start|stop|status|env|deps" >&2; exit 2 ;;
esac
