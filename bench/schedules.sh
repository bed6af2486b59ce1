#!/usr/bin/env bash
# bench/schedules.sh - how long one clock advance takes to run a year of
# monthly renewals for many billing keys.
#
# Starts impmock on a free port with a frozen clock and N customers seeded
# from a generated fixture (each with an approving test card), schedules 12
# monthly payments per customer over the REST API (one POST of 12 items per
# customer, all in one keep-alive curl run), then times a single
#   POST /__mock/clock {"advance": <13 months>}
# which runs every due item before it answers, and checks that all N*12 ran.
#
# Usage: bench/schedules.sh [CUSTOMERS]        (default 10000)
#   IMPMOCK_BIN=path/to/impmock overrides the binary (default: build-sched,
#   then build).
set -euo pipefail

customers=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${IMPMOCK_BIN:-}
if [ -z "$bin" ]; then
    for b in "$root/build-sched/impmock" "$root/build/impmock"; do
        if [ -x "$b" ]; then
            bin=$b
            break
        fi
    done
fi
[ -x "$bin" ] || { echo "no impmock binary: build one or set IMPMOCK_BIN" >&2; exit 1; }

work=$(mktemp -d /tmp/impmock-bench-XXXXXX)
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

start=1704034800 # 2024-01-01 00:00 KST
secret=bench-secret

# fixtures: one merchant with a key-in channel and the customers
python3 - "$customers" "$work/fixtures.json" <<'EOF'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
merchant = {
    "merchant_code": "imp10000000", "name": "bench", "imp_key": "bench", "imp_secret": "bench-secret",
    "channels": [{"pg_provider": "nice", "pg_id": "nictest04m", "kind": "keyin"}],
    "customers": [{"customer_uid": "c%06d" % i, "card_number": "4242-4242-4242-4242",
                   "inserted": 1704034800} for i in range(n)],
}
json.dump({"merchants": [merchant]}, open(path, "w"))
EOF

"$bin" --port 0 --port-file "$work/port" --quiet --fixtures "$work/fixtures.json" \
    --clock "$start" --journal-size 0 --webhook-journal-size 0 >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    [ -s "$work/port" ] && break
    sleep 0.05
done
[ -s "$work/port" ] || { echo "impmock did not start:" >&2; cat "$work/log" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"

token() {
    curl -s "$base/users/getToken" -d imp_key=bench -d imp_secret=$secret |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["access_token"])'
}
tok=$(token)

# one request per customer, 12 items each: the 1st of every month, Korean time
python3 - "$customers" "$base" "$tok" "$work/requests.cfg" <<'EOF'
import calendar, json, sys
n, base, tok, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
months = [calendar.timegm((2024 + (m // 12), m % 12 + 1, 1, 0, 0, 0)) - 9 * 3600 for m in range(1, 13)]
with open(path, "w") as f:
    for i in range(n):
        items = [{"merchant_uid": "c%06d-%02d" % (i, k + 1), "schedule_at": t + i % 3600,
                  "amount": 9900, "name": "monthly plan"} for k, t in enumerate(months)]
        body = json.dumps({"customer_uid": "c%06d" % i, "schedules": items}, separators=(",", ":"))
        f.write('url = "%s/subscribe/payments/schedule"\n' % base)
        f.write('header = "Authorization: %s"\n' % tok)
        f.write('header = "Content-Type: application/json"\n')
        f.write("data = %s\n" % json.dumps(body))
        f.write('output = "/dev/null"\n')
        f.write('write-out = "%{http_code}\\n"\n')
        if i + 1 < n:
            f.write("next\n")
EOF

t0=$(date +%s.%N)
curl -s -K "$work/requests.cfg" >"$work/codes"
t1=$(date +%s.%N)
bad=$(grep -vc '^200$' "$work/codes" || true)
[ "$bad" = 0 ] || { echo "$bad schedule requests failed" >&2; exit 1; }
echo "scheduled $((customers * 12)) items for $customers customers in $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"

# the measured step: 13 months in one advance, every item run before the answer
advance=$((396 * 86400))
time_total=$(curl -s -o "$work/clock.json" -w '%{time_total}' -XPOST "$base/__mock/clock" \
    -H 'Content-Type: application/json' -d "{\"advance\": $advance}")

# count the executed items, three months per list query
tok=$(token)
executed=0
from=$start
for _ in 1 2 3 4 5; do
    to=$(python3 -c "import calendar,time,sys; t=time.gmtime($from+9*3600); m=t.tm_mon-1+3; print(calendar.timegm((t.tm_year+m//12, m%12+1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec))-9*3600)")
    n=$(curl -s "$base/subscribe/payments/schedule?schedule_from=$from&schedule_to=$to&schedule_status=executed&limit=1" \
        -H "Authorization: $tok" | python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["total"])')
    executed=$((executed + n))
    from=$to
done
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "clock advance ran $executed of $((customers * 12)) scheduled payments in ${time_total} s" \
    "(peak RSS $((rss / 1024)) MiB)"
[ "$executed" = $((customers * 12)) ] || { echo "not every item ran" >&2; exit 1; }
