#!/usr/bin/env bash
# Coverage-guided fuzzing of the frame reader and parser with AFL++ and SharpFuzz.
# Needs afl-fuzz on the PATH (Debian/Ubuntu: apt-get install afl++). Installs the sharpfuzz tool locally if missing.
# Usage: tests/SocketAtm.Fuzz/fuzz.sh [seconds]   (default 600; findings land in tests/SocketAtm.Fuzz/bin/fuzz/findings, or under $FUZZ_WORK)
set -euo pipefail
seconds="${1:-600}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${FUZZ_WORK:-$root/tests/SocketAtm.Fuzz/bin/fuzz}"
tools="$work/tools"
mkdir -p "$work"

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz not found: install AFL++ (apt-get install afl++)" >&2
  exit 2
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
fi

# The seed corpus comes from the plain build: instrumented code only runs under the fuzzer.
dotnet build "$root/tests/SocketAtm.Fuzz" -c Release -o "$work/plain" >/dev/null
dotnet "$work/plain/SocketAtm.Fuzz.dll" seed "$work/corpus"

# The fuzzed build: SocketAtm.Protocol.dll instrumented for AFL's coverage map.
dotnet publish "$root/tests/SocketAtm.Fuzz" -c Release -o "$work/instrumented" >/dev/null
"$tools/sharpfuzz" "$work/instrumented/SocketAtm.Protocol.dll"

AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  timeout --signal=INT "$seconds" \
  afl-fuzz -i "$work/corpus" -o "$work/findings" -t 5000 -m none -- dotnet "$work/instrumented/SocketAtm.Fuzz.dll" afl || true

grep -E "execs_done|execs_per_sec|corpus_count|edges_found|saved_crashes|saved_hangs" "$work/findings/default/fuzzer_stats"
# Every input that crashed, replayed on the plain build with its exception:
dotnet "$work/plain/SocketAtm.Fuzz.dll" replay "$work/findings/default/crashes" "$work/findings/default/queue"
