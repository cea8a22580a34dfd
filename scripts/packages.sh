# Shared by scripts/db.sh and scripts/cluster.sh (sourced, after they define `say`).

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
