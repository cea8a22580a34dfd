#!/usr/bin/env bash
# Throwaway MariaDB servers for tests that must not touch the shared test server: a TLS server
# (self-signed CA, a server certificate for 127.0.0.1, and a second CA that signed nothing),
# and a server that fault tests kill with SIGKILL and start again on the same data.
#
#   scripts/test-server.sh start DIR PORT [tls]   initialise DIR on first use, start, wait until it answers
#   scripts/test-server.sh crash DIR              kill -9 the server (its data stays for a restart)
#   scripts/test-server.sh stop DIR               stop the server and remove DIR
#
# The user `test`@`127.0.0.1` (password `test-password`) may do anything; database `test` exists.
set -euo pipefail

command_name="${1:-}"
dir="${2:?usage: $0 start|crash|stop DIR [PORT] [tls]}"

server_pid() { cat "$dir/mariadb.pid" 2>/dev/null || true; }

crash() {
  local pid; pid="$(server_pid)"
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$dir/mariadb.pid" "$dir/mariadb.sock"
}

stop() {
  local pid; pid="$(server_pid)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

make_certificates() {
  mkdir -p "$dir/tls"
  (
    cd "$dir/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=EventflowDB Test CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Wrong CA" -keyout wrong-ca-key.pem -out wrong-ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
  )
}

start() {
  local port="${3:?port}" tls="${4:-}"
  mkdir -p "$dir" "$dir/tmp"
  local run_as=() tls_options=() fresh=""
  [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  if [ "$tls" = "tls" ]; then
    [ -f "$dir/tls/server.pem" ] || make_certificates
    tls_options=(--ssl-ca="$dir/tls/ca.pem" --ssl-cert="$dir/tls/server.pem" --ssl-key="$dir/tls/server-key.pem")
  fi
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal --skip-test-db \
      "${run_as[@]}" >"$dir/install.log" 2>&1
    fresh=1
  fi
  setsid "$(command -v mariadbd || echo /usr/sbin/mariadbd)" --no-defaults --datadir="$dir/data" --socket="$dir/mariadb.sock" \
    --port="$port" --bind-address=127.0.0.1 --pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" "${run_as[@]}" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=1 --tmpdir="$dir/tmp" "${tls_options[@]}" \
    </dev/null >/dev/null 2>&1 &
  local server=$!
  for _ in $(seq 1 240); do
    mariadb-admin -uroot --socket="$dir/mariadb.sock" ping >/dev/null 2>&1 && break
    # A server that exited (its port taken meanwhile, say) will not answer: say so at once.
    kill -0 "$server" 2>/dev/null || { tail -n 5 "$dir/mariadb.log" >&2; exit 3; }
    sleep 0.25
  done
  mariadb-admin -uroot --socket="$dir/mariadb.sock" ping >/dev/null 2>&1 || { tail -n 20 "$dir/mariadb.log" >&2; exit 1; }
  if [ -n "$fresh" ]; then
    mariadb -uroot --socket="$dir/mariadb.sock" -e "CREATE USER 'test'@'127.0.0.1' IDENTIFIED BY 'test-password';
      GRANT ALL ON *.* TO 'test'@'127.0.0.1'; CREATE DATABASE test;"
  fi
}

case "$command_name" in
  start) start "$@" ;;
  crash) crash ;;
  stop) stop ;;
  *) echo "usage: $0 start DIR PORT [tls] | crash DIR | stop DIR" >&2; exit 2 ;;
esac
