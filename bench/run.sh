#!/usr/bin/env bash
# bench/run.sh - how fast impmock is, beside a yardstick measured in the same
# run: bench/bare.c, a bare civetweb handler with the same worker count that
# answers a fixed body. wrk on loopback, keep-alive connections.
#
#   bash bench/run.sh            # about 15 minutes; prints a markdown report
#
# Measures, for impmock and the bare handler alike:
#   - POST /users/getToken, GET /payments/{imp_uid}, POST /subscribe/payments/again
#     (new merchant_uid every request) and a mixed workload, at 64 and 256
#     connections: req/s, p50, p99, server CPU per request (utime + stime from
#     /proc/PID/stat) and RSS;
#   - start to ready: exec until the first successful getToken (median of 20);
# and for impmock alone:
#   - lookups of random payments with 1k, 10k, 100k and 1M payments stored
#     (seeded from a generated fixtures file), with the RSS of each store;
#   - a year of monthly schedules for BENCH_CUSTOMERS billing keys (default
#     10000) run by one clock advance (bench/schedules.sh).
# Environment: BENCH_DURATION (seconds per wrk run, default 10), BENCH_REPEAT
# (runs per comparison, the median of each figure is kept; default 3), BENCH_SIZES (default
# "1000 10000 100000 1000000"), BENCH_CUSTOMERS (default 10000), BENCH_OUT
# (also write the report there).
# Installs nothing beyond scripts/install-deps.sh (wrk is there).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10}
sizes=${BENCH_SIZES:-"1000 10000 100000 1000000"}
secret=ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f

. bench/release.sh
cc -O2 -D_POSIX_C_SOURCE=200809L -pthread -o "$dir/bare" bench/bare.c -lcivetweb
threads=$("$dir/impmock" --help | sed -nE 's/.*--threads N .*\(default ([0-9]+)\).*/\1/p')
[ -n "$threads" ] || threads=64

load_start=$(cut -d' ' -f1 /proc/loadavg)
work=$(mktemp -d /tmp/impmock-bench-XXXXXX)
servers=()
cleanup() {
    for p in "${servers[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
report="$work/report.md"

say() { printf '%s\n' "$*" | tee -a "$report"; }

# start NAME CMD... - a server on a free port; sets PID and URL. Waits at most
# 60 s (a million seeded payments take a few seconds to load).
start() {
    local name=$1
    shift
    rm -f "$work/port"
    "$@" --port 0 --port-file "$work/port" >"$work/$name.log" 2>&1 &
    PID=$!
    servers+=("$PID")
    for _ in $(seq 1 1200); do
        [ -s "$work/port" ] && break
        sleep 0.05
    done
    if [ ! -s "$work/port" ]; then
        echo "bench: $name did not start" >&2
        cat "$work/$name.log" >&2
        exit 1
    fi
    URL=http://127.0.0.1:$(cat "$work/port")
}

stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# wrk_run PID CONNS SECONDS SCRIPT ARGS... - one wrk run against $URL; sets
# RPS P50 P99 (ms) CPU (server µs per request) ERRS
wrk_run() {
    local pid=$1 conns=$2 secs=$3 script=$4
    shift 4
    local t0 t1
    t0=$(cpu_ticks "$pid")
    wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "bench/$script" "$URL" -- "$@" \
        >"$work/wrk.txt"
    t1=$(cpu_ticks "$pid")
    read -r RPS P50 P99 N ERRS < <(awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /s$/) return v * 1000
            return v
        }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / requests in / { n = $1 }
        /Non-2xx/ { errs += $5 }
        /Socket errors/ { gsub(",", ""); errs += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, n, errs }' "$work/wrk.txt")
    CPU=$(awk -v d=$((t1 - t0)) -v n="$N" -v hz="$hz" 'BEGIN { printf "%.1f", n ? d * 1e6 / hz / n : 0 }')
}

# medians - rows of numbers in, one row out: the median of each column on its
# own (a run with the best req/s need not have the best p99; the slowest
# answers are the first to show other work on the machine)
medians() {
    python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
out = []
for col in zip(*rows):
    v = sorted(col, key=float)
    out.append(v[(len(v) - 1) // 2])
print(" ".join(out))'
}

token_of() {
    curl -s "$1/users/getToken" -d imp_key=imp_apikey -d "imp_secret=$secret" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["access_token"])'
}

# ---- throughput and latency, impmock and the bare handler ------------------------
# Both servers run side by side (the idle one costs nothing); each workload is
# measured BENCH_REPEAT times, alternating bare and impmock, and the median of
# each figure is reported, so a burst of other activity on the machine does not
# decide a comparison.

repeat=${BENCH_REPEAT:-3}
declare -A R # R[workload,conns,server]="rps p50 p99 cpu rss errs"
declare -A PEAK
workloads=(token lookup again mixed)

start bare "$dir/bare" --threads "$threads"
bare_pid=$PID bare_url=$URL
start impmock "$dir/impmock" --quiet --threads "$threads"
imp_pid=$PID imp_url=$URL
tok=$(token_of "$imp_url")
curl -s -XPOST "$imp_url/subscribe/customers/bench_cust" -H "Authorization: $tok" \
    -d card_number=4242-4242-4242-4242 -d expiry=2030-12 >/dev/null
uid=$(curl -s -XPOST "$imp_url/subscribe/payments/again" -H "Authorization: $tok" \
    -d customer_uid=bench_cust -d merchant_uid=bench_order -d amount=9900 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["imp_uid"])')

run_no=0
for w in "${workloads[@]}"; do
    for c in 64 256; do
        declare -A runs=()
        for s in bare impmock; do
            pid=$bare_pid
            URL=$bare_url
            [ "$s" = impmock ] && pid=$imp_pid && URL=$imp_url
            wrk_run "$pid" "$c" 2 "$w.lua" "$tok" "$uid" bench_order bench_cust "warm$run_no" >/dev/null
            run_no=$((run_no + 1))
        done
        for ((k = 0; k < repeat; k++)); do
            for s in bare impmock; do
                pid=$bare_pid
                URL=$bare_url
                [ "$s" = impmock ] && pid=$imp_pid && URL=$imp_url
                run_no=$((run_no + 1))
                case $w in
                token) args=() ;;
                lookup) args=("$tok" "$uid") ;;
                again) args=("$tok" bench_cust "r$run_no") ;;
                mixed) args=("$tok" "$uid" bench_order bench_cust "m$run_no") ;;
                esac
                wrk_run "$pid" "$c" "$duration" "$w.lua" "${args[@]}"
                runs[$s,$k]="$RPS $P50 $P99 $CPU $(rss_mb "$pid") $ERRS"
                echo "  $s $w c=$c #$k: $RPS req/s, p50 $P50 ms, p99 $P99 ms, $CPU µs CPU/req" >&2
            done
        done
        for s in bare impmock; do
            R[$w,$c,$s]=$(for ((k = 0; k < repeat; k++)); do echo "${runs[$s,$k]}"; done | medians)
        done
        unset runs
    done
done
PEAK[bare]=$(hwm_mb "$bare_pid")
PEAK[impmock]=$(hwm_mb "$imp_pid")
stop "$bare_pid"
stop "$imp_pid"

# ---- start to ready ---------------------------------------------------------------

echo "bench: start to ready" >&2
read -r ready_bare _ _ < <(python3 bench/ready.py 20 "$dir/bare" --threads "$threads")
read -r ready_imp _ _ < <(python3 bench/ready.py 20 "$dir/impmock" --quiet --threads "$threads")

# ---- lookups as the store grows ----------------------------------------------------

declare -A S # S[size]="rps p50 p99 cpu rss_idle rss_after ready_s"
for n in $sizes; do
    fx="$dir/bench-fixtures-$n.json"
    [ -s "$fx" ] || python3 bench/gen_fixtures.py "$n" "$fx"
    echo "bench: lookups with $n payments" >&2
    t0=$(date +%s.%N)
    start "store$n" "$dir/impmock" --quiet --threads "$threads" --fixtures "$fx"
    tok=$(token_of "$URL")
    t1=$(date +%s.%N)
    idle=$(rss_mb "$PID")
    wrk_run "$PID" 64 2 lookup.lua "$tok" - "$n"
    rows=()
    for ((k = 0; k < repeat; k++)); do
        wrk_run "$PID" 64 "$duration" lookup.lua "$tok" - "$n"
        rows+=("$RPS $P50 $P99 $CPU $ERRS")
        echo "  $n payments #$k: $RPS req/s, p50 $P50 ms, p99 $P99 ms" >&2
    done
    read -r RPS P50 P99 CPU ERRS < <(printf '%s\n' "${rows[@]}" | medians)
    S[$n]="$RPS $P50 $P99 $CPU $idle $(rss_mb "$PID") $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}') $ERRS"
    stop "$PID"
done

# ---- a year of monthly schedules -------------------------------------------------

customers=${BENCH_CUSTOMERS:-10000}
echo "bench: a year of schedules for $customers customers" >&2
sched=$(IMPMOCK_BIN="$dir/impmock" bash bench/schedules.sh "$customers")

# ---- the report -------------------------------------------------------------------

say "## Results"
say ""
say "$(nproc) cores ($(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); wrk -t2, keep-alive, ${duration} s per run, each figure the median of $repeat runs; $threads worker threads in both servers. Load average (1 min) at the start $load_start, at the end $(cut -d' ' -f1 /proc/loadavg): other work on the machine shows up in the p99 first."
say ""
say "| workload | conns | server | req/s | p50 ms | p99 ms | CPU µs/req | RSS MB | errors |"
say "|---|---:|---|---:|---:|---:|---:|---:|---:|"
for w in "${workloads[@]}"; do
    for c in 64 256; do
        for s in bare impmock; do
            read -r rps p50 p99 cpu rss errs <<<"${R[$w,$c,$s]}"
            say "| $w | $c | $s | $rps | $p50 | $p99 | $cpu | $rss | $errs |"
        done
    done
done
say ""
say "Peak RSS over these runs: bare ${PEAK[bare]} MB, impmock ${PEAK[impmock]} MB (impmock stores every payment the again and mixed runs make)."
say ""
say "| payments stored | req/s | p50 ms | p99 ms | CPU µs/req | RSS idle MB | RSS after MB | start to first answer s | errors |"
say "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
    read -r rps p50 p99 cpu idle after rdy errs <<<"${S[$n]}"
    say "| $n | $rps | $p50 | $p99 | $cpu | $idle | $after | $rdy | $errs |"
done
say ""
say "Start to ready (exec to the first answered getToken, median of 20): bare $ready_bare ms, impmock $ready_imp ms."
say ""
say "Schedules (bench/schedules.sh $customers: 12 monthly payments per billing key, one clock advance):"
say ""
say '```'
say "$sched"
say '```'
say ""

# targets
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
field() { echo "${R[$1]}" | awk -v i="$2" '{print $i}'; }
first=${sizes%% *}
last=${sizes##* }
tok_r=$(ratio "$(field token,64,impmock 1)" "$(field token,64,bare 1)")
look_r=$(ratio "$(field lookup,64,impmock 1)" "$(field lookup,64,bare 1)")
tok_r256=$(ratio "$(field token,256,impmock 1)" "$(field token,256,bare 1)")
look_r256=$(ratio "$(field lookup,256,impmock 1)" "$(field lookup,256,bare 1)")
p99_tok=$(ratio "$(field token,64,impmock 3)" "$(field token,64,bare 3)")
p99_look=$(ratio "$(field lookup,64,impmock 3)" "$(field lookup,64,bare 3)")
flat=$(ratio "$(echo "${S[$last]}" | awk '{print $1}')" "$(echo "${S[$first]}" | awk '{print $1}')")
rss100k=$(echo "${S[100000]:-0 0 0 0 0 0}" | awk '{print $5 " MB idle, " $6 " MB after the lookup run"}')
ready_r=$(ratio "$ready_imp" "$ready_bare")
say "| target | measured |"
say "|---|---|"
say "| token and lookup throughput >= 0.8x bare | token ${tok_r}x, lookup ${look_r}x at 64 conns; ${tok_r256}x, ${look_r256}x at 256 |"
say "| p99 <= 1.5x bare at 64 conns | token ${p99_tok}x, lookup ${p99_look}x |"
say "| flat lookup time from $first to $last payments | req/s at $last / at $first: ${flat}x |"
say "| RSS < 20 MB with 100k payments | $rss100k |"
say "| ready <= 1.5x bare | ${ready_r}x ($ready_imp vs $ready_bare ms) |"
[ -n "${BENCH_OUT:-}" ] && cp "$report" "$BENCH_OUT"
exit 0
