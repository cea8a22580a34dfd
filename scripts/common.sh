# Shared by scripts/db.sh and scripts/cluster.sh (sourced; they define `say`): the development
# database's name and user, installing Debian packages, finding the server, stopping a process.

user="eventflow"
password="eventflow-dev-password"
database="eventflow"

# Installs the Debian packages named in "$@" (as root, by apt-get); as another user, says the
# command to run and exits.
install_missing() {
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing packages: $*. Install them as root:"
    say "  sudo apt-get update && sudo apt-get install -y $*"
    exit 1
  fi
  say "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}

# The server binary, on PATH or where Debian puts it.
mariadbd_bin() { command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd; }

# True when process "$1" runs and its command line names "$2" (the server's data folder): a pid
# file outlives its server (a killed machine, a killed session), and by the next start its pid
# may belong to another process.
server_runs() {
  local pid="$1" folder="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$folder"
}

# Stops process "$1" with SIGTERM, waiting up to "$2" seconds, then SIGKILL; "$3" names it in
# what is said.
stop_process() {
  local pid="$1" seconds="$2" what="$3"
  kill "$pid"
  for _ in $(seq 1 $((seconds * 2))); do
    kill -0 "$pid" 2>/dev/null || { say "$what stopped"; return 0; }
    sleep 0.5
  done
  say "$what did not stop in $seconds s; killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# Creates the development database and its user on the server whose root socket is "$1".
create_database_and_user() {
  mariadb -uroot --socket="$1" <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\`;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
SQL
}
