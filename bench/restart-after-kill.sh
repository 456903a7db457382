#!/usr/bin/env bash
# Issue 18's restart figure: how long a LiteDB host takes to serve again after SIGKILL on a large ledger.
#
#   dotnet build -c Release bench/SocketAtm.Load
#   dotnet bench/SocketAtm.Load/bin/Release/net10.0/SocketAtm.Load.dll --workload withdrawal --terminals 1000 \
#     --cards 10000 --duration 300 --no-ceilings --keep-data          # prints "Data directory kept: DIR"
#   bench/restart-after-kill.sh DIR [rounds]
#
# Each round: the host serves DIR (its kek.key) on 127.0.0.1:8601 under a load of the harness's own fleet (200 of its
# terminals, withdrawals), is killed with SIGKILL 8 s into the load, and is started again; the time is from the exec of
# the new process to /readyz answering 200 (the ledger open, recovered, its invariants checked; the terminal port
# accepting), polled every 10 ms. The host's "Ledger opened" line (event 3000) says where the open's time went.
set -euo pipefail
data=${1:?usage: bench/restart-after-kill.sh DATA_DIRECTORY [ROUNDS]}
rounds=${2:-3}
bin="$(cd "$(dirname "$0")" && pwd)/SocketAtm.Load/bin/Release/net10.0"
logs=$(mktemp -d)
host_args=(--data "$data" --port 8601 --ops-port 8691 --Ledger:KeyEncryptionKeyFile="$data/kek.key"
  --Serilog:MinimumLevel:Default=Warning --Serilog:MinimumLevel:Override:SocketAtm.Server.Ledger=Information
  --Listener:MaxUnsignedConnectionsPerAddress=1000)
host=

start_and_time() {
  local started ready
  started=$(date +%s%N)
  dotnet "$bin/SocketAtm.Server.dll" "${host_args[@]}" > "$logs/host-$1.log" 2>&1 &
  host=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8691/readyz || true)" = 200 ]; do
    kill -0 "$host" 2>/dev/null || { echo "the host exited; see $logs/host-$1.log"; exit 1; }
    sleep 0.01
  done
  ready=$(date +%s%N)
  echo "$1: serving $(( (ready - started) / 1000000 )) ms after exec; $(grep -o 'Ledger opened at.*' "$logs/host-$1.log" | sed 's/^Ledger opened at [^:]*: //')"
}

start_and_time start
for round in $(seq "$rounds"); do
  dotnet "$bin/SocketAtm.Load.dll" --host 127.0.0.1 --port 8601 --workload withdrawal --terminals 200 --cards 10000 \
    --duration 30 --warmup 1 --no-ceilings --no-chart --output "$logs/load-$round" > "$logs/load-$round.log" 2>&1 &
  load=$!
  sleep 8
  kill -KILL "$host"
  wait "$host" 2>/dev/null || true
  start_and_time "after SIGKILL $round"
  wait "$load" 2>/dev/null || true
done
kill -TERM "$host"
wait "$host" 2>/dev/null || true
echo "logs in $logs"
