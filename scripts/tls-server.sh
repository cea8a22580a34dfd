#!/usr/bin/env bash
# A throwaway MariaDB server with TLS, for the driver's TLS tests: a self-signed CA, a server
# certificate for 127.0.0.1 signed by it, and a second CA that signed nothing (a "wrong" CA).
#
#   scripts/tls-server.sh start DIR PORT   prints the CA paths once the server answers
#   scripts/tls-server.sh stop DIR
set -euo pipefail

command_name="${1:-}"
dir="${2:?usage: $0 start|stop DIR [PORT]}"

stop() {
  if [ -f "$dir/mariadb.pid" ]; then
    local pid; pid="$(cat "$dir/mariadb.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

start() {
  local port="${3:?port}"
  mkdir -p "$dir/tls"
  cd "$dir/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=EventflowDB Test CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Wrong CA" -keyout wrong-ca-key.pem -out wrong-ca.pem 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
  cd - >/dev/null
  local run_as=()
  [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal --skip-test-db \
    "${run_as[@]}" >"$dir/install.log" 2>&1
  setsid "$(command -v mariadbd || echo /usr/sbin/mariadbd)" --no-defaults --datadir="$dir/data" --socket="$dir/mariadb.sock" \
    --port="$port" --bind-address=127.0.0.1 --pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" "${run_as[@]}" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --ssl-ca="$dir/tls/ca.pem" --ssl-cert="$dir/tls/server.pem" \
    --ssl-key="$dir/tls/server-key.pem" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    mariadb-admin -uroot --socket="$dir/mariadb.sock" ping >/dev/null 2>&1 && break
    sleep 0.25
  done
  mariadb -uroot --socket="$dir/mariadb.sock" -e "CREATE USER 'tls'@'127.0.0.1' IDENTIFIED BY 'tls-password'; GRANT ALL ON *.* TO 'tls'@'127.0.0.1';"
  echo "$dir/tls/ca.pem $dir/tls/wrong-ca.pem"
}

case "$command_name" in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
