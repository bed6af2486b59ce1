#!/usr/bin/env bash
# bench/soak.sh - does impmock's memory stay flat under steady load? Runs a
# release impmock under wrk for SOAK_MINUTES (default 10) with a workload that
# does not grow the store (token, lookups, pre-registration reads, failing
# and refused requests), so every byte of growth would be a leak or an
# unbounded structure; the request journal is a ring (--journal-size, kept
# at its default 1000). Samples RSS every SOAK_EVERY seconds (default 10)
# and prints the samples and the growth from the first minute to the end.
# Not part of CI: run it by hand, record the figures in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${SOAK_MINUTES:-10}
every=${SOAK_EVERY:-10}
conns=${SOAK_CONNS:-64}
secret=ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f

. bench/release.sh

work=$(mktemp -d /tmp/impmock-soak-XXXXXX)
pid=
wrk_pid=
cleanup() {
    [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$dir/impmock" --quiet --port 0 --port-file "$work/port" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    [ -s "$work/port" ] && break
    sleep 0.05
done
url=http://127.0.0.1:$(cat "$work/port")
tok=$(curl -s "$url/users/getToken" -d imp_key=imp_apikey -d "imp_secret=$secret" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["access_token"])')
curl -s -XPOST "$url/subscribe/customers/soak" -H "Authorization: $tok" \
    -d card_number=4242-4242-4242-4242 -d expiry=2030-12 >/dev/null
uid=$(curl -s -XPOST "$url/subscribe/payments/again" -H "Authorization: $tok" \
    -d customer_uid=soak -d merchant_uid=soak_order -d amount=1000 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["imp_uid"])')
curl -s -XPOST "$url/payments/prepare" -H "Authorization: $tok" \
    -d merchant_uid=soak_prep -d amount=1000 >/dev/null

# a steady mix that stores nothing new: lookups, tokens, refusals
cat >"$work/soak.lua" <<EOF
local paths = {
    {"GET", "/payments/$uid", nil},
    {"GET", "/payments/find/soak_order", nil},
    {"GET", "/payments/prepare/soak_prep", nil},
    {"GET", "/payments/imp_000000000000", nil},
    {"GET", "/payments/status/all?limit=5", nil},
    {"POST", "/users/getToken", '{"imp_key":"imp_apikey","imp_secret":"$secret"}'},
    {"POST", "/subscribe/payments/again", '{"customer_uid":"soak","merchant_uid":"soak_order","amount":1000}'},
    {"POST", "/payments/prepare", '{"merchant_uid":"soak_prep","amount":":bad"'},
    {"POST", "/payments/cancel", '{"merchant_uid":"soak_order","amount":99999999}'},
}
local i = 0
function request()
    i = i % #paths + 1
    local p = paths[i]
    return wrk.format(p[1], p[2], {["Authorization"] = "$tok", ["Content-Type"] = "application/json"}, p[3])
end
EOF
secs=$((minutes * 60))
wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s "$work/soak.lua" "$url" >"$work/wrk.txt" &
wrk_pid=$!
echo "soak: $minutes min of wrk at $conns connections against impmock (pid $pid); RSS every $every s"
echo "elapsed_s rss_kb"
samples=()
for ((t = 0; t <= secs; t += every)); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    samples+=("$rss")
    echo "$t $rss"
    [ "$t" -lt "$secs" ] && sleep "$every"
done
wait "$wrk_pid" || true
wrk_pid=
grep -E "requests in|Requests/sec|Non-2xx|Socket errors" "$work/wrk.txt" || true
# growth after the first minute (workers and the journal ring fill during it)
base=${samples[$((60 / every))]:-${samples[0]}}
last=${samples[-1]}
peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -n 1)
echo "soak: RSS after 1 min ${base} kB, at the end ${last} kB, peak ${peak} kB, growth $((last - base)) kB"
