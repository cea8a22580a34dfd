#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster of the project's own: plain mariadbd processes on loopback, data
# in .cluster/node<N>/, ports of its own, state transfer by rsync. No Docker, no systemd.
#
#   scripts/cluster.sh start          install what is missing, start (or complete) the cluster, wait
#                                     until all three nodes are Synced, create database and user
#   scripts/cluster.sh stop           stop every node
#   scripts/cluster.sh status         each node's state
#   scripts/cluster.sh env            the EVENTFLOW_MYSQL_* variables (EVENTFLOW_MYSQL_HOSTS lists
#                                     the three nodes)
#   scripts/cluster.sh kill-node N    SIGKILL node N (a crash)
#   scripts/cluster.sh freeze-node N  SIGSTOP node N (a hung node: sockets open, nothing answers)
#   scripts/cluster.sh thaw-node N    SIGCONT node N
#   scripts/cluster.sh stop-node N    stop node N cleanly
#   scripts/cluster.sh start-node N   start node N again: after a crash it recovers its position
#                                     (--wsrep-recover) and rejoins by IST; waits until Synced
#   scripts/cluster.sh wait-synced    wait until every node is Synced
#
# Node N listens for SQL on 127.0.0.1:2307N, for group communication on 2456N, for IST on 2457N
# and for SST on 2458N.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/common.sh
. "$root_dir/scripts/common.sh"
cluster_dir="${EVENTFLOW_CLUSTER_DIR:-$root_dir/.cluster}"
nodes=(1 2 3)

say() { printf 'cluster: %s\n' "$*" >&2; }

# Below Linux's ephemeral range (32768-60999 by default): a node restarted while the tests have
# thousands of client connections open could otherwise find its port taken as some client's
# local port ("Bind on TCP/IP port ... Address already in use", seen once in a CI run).
sql_port() { echo $((23070 + $1)); }
gcomm_port() { echo $((24560 + $1)); }
ist_port() { echo $((24570 + $1)); }
sst_port() { echo $((24580 + $1)); }
node_dir() { echo "$cluster_dir/node$1"; }
socket() { echo "$(node_dir "$1")/mariadb.sock"; }
pid_file() { echo "$(node_dir "$1")/mariadb.pid"; }
# The pid of the process launch() started (the server writes pid_file itself, as its user).
launch_pid_file() { echo "$(node_dir "$1")/launch.pid"; }

install_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -f /usr/lib/galera/libgalera_smm.so ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  command -v lsof >/dev/null 2>&1 || missing+=(lsof)
  install_missing "${missing[@]}"
}

# As root the nodes run as the mysql user: rsync's daemon, which receives a state transfer,
# writes as "nobody" when started by root, so root-owned data would refuse it.
own_dirs() { [ "$(id -u)" -eq 0 ] && chown -R mysql:mysql "$cluster_dir"; return 0; }

node_pid() { cat "$(launch_pid_file "$1")" 2>/dev/null || true; }

is_running() {
  server_runs "$(node_pid "$1")" "$(node_dir "$1")/data"
}

node_sql() { mariadb -uroot --socket="$(socket "$1")" -N -B -e "$2" 2>/dev/null; }

node_state() {
  is_running "$1" || { echo "down"; return; }
  local state; state="$(node_sql "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)"
  echo "${state:-starting}"
}

cluster_size() { node_sql "$1" "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2; }

members() {
  local list=()
  for n in "${nodes[@]}"; do list+=("127.0.0.1:$(gcomm_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

# Starts node N in the background. $2: "bootstrap" to form a new cluster; $3: a recovered start
# position (uuid:seqno) or empty.
launch() {
  local n="$1" mode="${2:-join}" position="${3:-}" dir; dir="$(node_dir "$1")"
  mkdir -p "$dir/data" "$dir/tmp"
  own_dirs
  rm -f "$(socket "$n")"
  local args=(
    --no-defaults --datadir="$dir/data" --socket="$(socket "$n")" --port="$(sql_port "$n")"
    --bind-address=127.0.0.1 --pid-file="$(pid_file "$n")" --log-error="$dir/mariadb.log" --tmpdir="$dir/tmp"
    --skip-name-resolve --innodb-buffer-pool-size=128M --max-connections=400
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 --default-storage-engine=InnoDB
    --log-bin="$dir/data/mariadb-bin" --log-slave-updates=ON --server-id="$n" --max-binlog-size=64M
    --binlog-expire-logs-seconds=3600
    --innodb-flush-log-at-trx-commit=1
    --wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so --wsrep-cluster-name=eventflow
    --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$(gcomm_port "$n")"
    --wsrep-provider-options="base_port=$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=128M"
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$(sst_port "$n")"
  )
  [ "$(id -u)" -eq 0 ] && args+=(--user=mysql)
  if [ "$mode" = bootstrap ]; then
    args+=(--wsrep-cluster-address=gcomm:// --wsrep-new-cluster)
  else
    args+=(--wsrep-cluster-address="gcomm://$(members)")
  fi
  [ -n "$position" ] && args+=(--wsrep-start-position="$position")
  setsid "$(mariadbd_bin)" "${args[@]}" </dev/null >/dev/null 2>&1 &
  echo $! >"$(launch_pid_file "$n")"
}

# A crashed node's last committed position, from InnoDB: mariadbd --wsrep-recover.
recover_position() {
  local n="$1" dir; dir="$(node_dir "$1")"
  [ -d "$dir/data/mysql" ] || return 0
  local run_as=(); [ "$(id -u)" -eq 0 ] && run_as=(--user=mysql)
  "$(mariadbd_bin)" --no-defaults --datadir="$dir/data" --socket="$dir/recover.sock" --skip-networking \
    --tmpdir="$dir/tmp" --log-error="$dir/recover.log" --wsrep-on=ON \
    --wsrep-provider=/usr/lib/galera/libgalera_smm.so --wsrep-cluster-address="gcomm://$(members)" \
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 --wsrep-recover "${run_as[@]}" >/dev/null 2>&1 || true
  { grep -o 'Recovered position: [^ ]*' "$dir/recover.log" 2>/dev/null || true; } | tail -n1 | awk '{print $3}'
}

wait_for() {
  local n="$1" want="$2" seconds="${3:-120}"
  for _ in $(seq 1 $((seconds * 2))); do
    [ "$(node_state "$n")" = "$want" ] && return 0
    if ! is_running "$n"; then
      say "node $n stopped while starting; its log:"
      tail -n 25 "$(node_dir "$n")/mariadb.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  say "node $n is $(node_state "$n") after ${seconds} s, not $want; its log:"
  tail -n 25 "$(node_dir "$n")/mariadb.log" >&2 || true
  return 1
}

init_node() {
  local n="$1" dir; dir="$(node_dir "$1")"
  [ -d "$dir/data/mysql" ] && return 0
  mkdir -p "$dir/data" "$dir/tmp"
  own_dirs
  local run_as=(); [ "$(id -u)" -eq 0 ] && run_as=(--user=mysql)
  say "initialising node $n"
  mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db "${run_as[@]}" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
}

start_node() {
  local n="$1"
  if is_running "$n"; then say "node $n already running"; return 0; fi
  local position=""
  if [ -f "$(node_dir "$n")/data/grastate.dat" ] && grep -q 'seqno: *-1' "$(node_dir "$n")/data/grastate.dat"; then
    position="$(recover_position "$n")"
    [ -n "$position" ] && say "node $n recovered position $position"
  fi
  say "starting node $n on 127.0.0.1:$(sql_port "$n")"
  launch "$n" join "$position"
  wait_for "$n" Synced 180
  say "node $n Synced (cluster size $(cluster_size "$n"))"
}

any_running() {
  for n in "${nodes[@]}"; do is_running "$n" && { echo "$n"; return 0; }; done
  return 1
}

start() {
  install_packages
  mkdir -p "$cluster_dir"
  if ! any_running >/dev/null; then
    # Nothing runs: form the cluster anew from node 1 (its data is the cluster's).
    init_node 1
    local state="$(node_dir 1)/data/grastate.dat"
    [ -f "$state" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$state"
    say "bootstrapping the cluster from node 1"
    launch 1 bootstrap
    wait_for 1 Synced 120
    node_sql 1 "SELECT 1" >/dev/null
    create_database_and_user "$(socket 1)"
  fi
  for n in "${nodes[@]}"; do start_node "$n"; done
  wait_synced
  say "running: $(for n in "${nodes[@]}"; do printf '127.0.0.1:%s ' "$(sql_port "$n")"; done)"
}

# Every node Synced, in a cluster of all three, and all in the same view (wsrep_cluster_conf_id):
# a node thawed after SIGSTOP says Synced for a moment in the view it was evicted from.
wait_synced() {
  for n in "${nodes[@]}"; do wait_for "$n" Synced 180; done
  for _ in $(seq 1 360); do
    local views=() agreed=1
    for n in "${nodes[@]}"; do
      [ "$(node_state "$n")" = Synced ] && [ "$(cluster_size "$n")" = "${#nodes[@]}" ] || agreed=0
      views+=("$(node_sql "$n" "SHOW STATUS LIKE 'wsrep_cluster_conf_id'" | cut -f2)")
    done
    [ "$agreed" = 1 ] && [ "$(printf '%s\n' "${views[@]}" | sort -u | wc -l)" = 1 ] && return 0
    sleep 0.5
  done
  say "the nodes did not agree on one view of ${#nodes[@]} Synced nodes in 180 s"
  return 1
}

stop_node() {
  local n="$1" pid; pid="$(node_pid "$1")"
  if ! is_running "$n"; then say "node $n not running"; return 0; fi
  stop_process "$pid" 60 "node $n"
}

kill_node() {
  local n="$1" pid; pid="$(node_pid "$1")"
  if ! is_running "$n"; then say "node $n not running"; return 0; fi
  kill -9 "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  say "node $n killed (SIGKILL)"
}

# SIGSTOP / SIGCONT: the node hangs with its sockets open, then runs on.
signal_node() {
  local n="$1" signal="$2" pid; pid="$(node_pid "$1")"
  if ! is_running "$n"; then say "node $n not running"; return 0; fi
  kill "-$signal" "$pid"
  say "node $n sent SIG$signal"
}

stop() {
  # The last node to stop is the one safe to bootstrap from; node 1 is started first next time.
  for n in 3 2 1; do stop_node "$n"; done
}

status() {
  for n in "${nodes[@]}"; do
    printf 'node %s 127.0.0.1:%s %s\n' "$n" "$(sql_port "$n")" "$(node_state "$n")"
  done
}

print_env() {
  local hosts=()
  for n in "${nodes[@]}"; do hosts+=("127.0.0.1:$(sql_port "$n")"); done
  cat <<ENV
export EVENTFLOW_MYSQL_HOSTS=$(IFS=,; echo "${hosts[*]}")
export EVENTFLOW_MYSQL_HOST=127.0.0.1
export EVENTFLOW_MYSQL_PORT=$(sql_port 1)
export EVENTFLOW_MYSQL_USER=$user
export EVENTFLOW_MYSQL_PASS=$password
export EVENTFLOW_MYSQL_DB=$database
export EVENTFLOW_CLUSTER_SCRIPT=$root_dir/scripts/cluster.sh
ENV
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  wait-synced) wait_synced ;;
  kill-node) kill_node "${2:?node number}" ;;
  freeze-node) signal_node "${2:?node number}" STOP ;;
  thaw-node) signal_node "${2:?node number}" CONT ;;
  stop-node) stop_node "${2:?node number}" ;;
  start-node) install_packages; start_node "${2:?node number}" ;;
  *) echo "usage: $0 start|stop|status|env|wait-synced|kill-node N|freeze-node N|thaw-node N|stop-node N|start-node N" >&2; exit 2 ;;
esac
