#!/usr/bin/env bash
# run.sh - impmock's HTTPS listener from the outside, as the README's
# "Reaching impmock as https://api.iamport.kr" recipes use it: curl with
# --resolve and --cacert, Node with NODE_EXTRA_CA_CERTS, a Java program with
# -Djdk.net.hosts.file and a keytool trust store; refused TLS versions, the
# certificate's names, --print-ca, the CA kept across restarts, --tls-cert.
#
#   bash tests/tls/run.sh [TAP_FILE]
#
# Prints TAP (and writes it to TAP_FILE when given). IMPMOCK_BIN chooses the
# binary (default build/impmock). Only loopback and ephemeral ports; every
# wait is bounded. javac missing: installs default-jdk-headless with apt
# when run as root, else skips the Java case.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

bin=${IMPMOCK_BIN:-build/impmock}
out=${1:-}
work=$(mktemp -d)
secret=ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f
pid=
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

results=()
check() { # check NAME COMMAND... - one TAP case
    if "${@:2}" >"$work/check.log" 2>&1; then
        results+=("ok - $1")
    else
        results+=("not ok - $1")
        sed 's/^/# /' "$work/check.log" | tail -n 15 >&2
    fi
}
skip() { # skip NAME REASON
    results+=("ok - $1 # SKIP $2")
}

# start NAME ARGS... - starts impmock in the background (HOME inside $work,
# so no default CA lands in the real one); waits up to 10 s for both port
# files. Sets $pid, $port, $tls_port.
start() {
    local name=$1
    shift
    rm -f "$work/port" "$work/tls_port"
    HOME="$work/home" XDG_DATA_HOME='' "$bin" --port 0 --port-file "$work/port" --quiet "$@" \
        >"$work/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        [ -s "$work/port" ] && [ -s "$work/tls_port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    port=$(cat "$work/port" 2>/dev/null || echo 0)
    tls_port=$(cat "$work/tls_port" 2>/dev/null || echo 0)
    [ "$tls_port" -gt 0 ] || { cat "$work/$name.log"; return 1; }
}

# stop - SIGTERM, then up to 10 s for the exit status, which must be 0
stop() {
    local rc=124
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            rc=$?
            break
        fi
        sleep 0.1
    done
    pid=
    echo "exit status $rc"
    [ "$rc" -eq 0 ]
}

# curl_api PATH [CURL ARGS...] - https://api.iamport.kr:$tls_port/PATH through
# --resolve, trusting only the CA in $work/ca.pem
curl_api() {
    local path=$1
    shift
    curl -sS --max-time 10 --resolve "api.iamport.kr:$tls_port:127.0.0.1" \
        --cacert "$work/ca.pem" "$@" "https://api.iamport.kr:$tls_port$path"
}

get_token() {
    curl_api /users/getToken -d imp_key=imp_apikey -d "imp_secret=$secret" "$@"
}

token_ok() { # token_ok CURL ARGS... - getToken answers code 0 and a 40-hex token
    get_token "$@" | tee "$work/token.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
sys.exit(0 if r["code"] == 0 and len(r["response"]["access_token"]) == 40 else 1)' \
        "$work/token.json"
}

lookup_ok() {
    local token
    token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["response"]["access_token"])' \
        "$work/token.json") || return 1
    curl_api /payments/imp_100000000002 -H "Authorization: Bearer $token" | tee "$work/pay.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
sys.exit(0 if r["code"] == 0 and r["response"]["imp_uid"] == "imp_100000000002" else 1)' \
        "$work/pay.json"
}

plain_http_ok() {
    curl -sS --max-time 10 "http://127.0.0.1:$port/users/getToken" -d imp_key=imp_apikey \
        -d "imp_secret=$secret" | grep -q '"code":0'
}

# refused VERSION - the server ends a handshake at TLS VERSION with a
# protocol_version alert (the client is allowed every cipher, so only the
# server can be the one refusing)
refused() {
    local msg
    if msg=$(curl_api /users/getToken --tlsv"$1" --tls-max "$1" --ciphers 'DEFAULT:@SECLEVEL=0' 2>&1); then
        echo "TLS $1 was accepted"
        return 1
    fi
    echo "$msg"
    grep -q 'alert protocol version' <<<"$msg"
}

accepted() { # accepted VERSION - getToken over exactly this TLS version
    token_ok --tlsv"$1" --tls-max "$1" -v 2>"$work/curl-v.log" || return 1
    grep 'SSL connection using' "$work/curl-v.log"
    grep -q "SSL connection using TLSv$1 " "$work/curl-v.log"
}

# The certificate the server presents, as text, in $work/leaf.pem / leaf.txt.
fetch_leaf() {
    timeout 10 openssl s_client -connect "127.0.0.1:$tls_port" -servername api.iamport.kr \
        </dev/null 2>/dev/null | openssl x509 >"$work/leaf.pem" || return 1
    openssl x509 -in "$work/leaf.pem" -noout -text >"$work/leaf.txt"
}

# sans_are LIST - the subjectAltName line is exactly LIST
sans_are() {
    local got
    got=$(grep -A1 'Subject Alternative Name' "$work/leaf.txt" | tail -n 1 | sed 's/^ *//')
    echo "SANs: $got"
    [ "$got" = "$1" ]
}

leaf_is_server_only() {
    grep -q 'CA:FALSE' "$work/leaf.txt" && grep -q 'TLS Web Server Authentication' "$work/leaf.txt" &&
        grep -q 'Subject: O = impmock, CN = api.iamport.kr' "$work/leaf.txt"
}

chains_to_print_ca() {
    HOME="$work/home" XDG_DATA_HOME='' "$bin" --state-dir "$work/state" --print-ca >"$work/printed.pem" &&
        cmp "$work/printed.pem" "$work/ca.pem" &&
        openssl verify -CAfile "$work/printed.pem" -verify_hostname api.iamport.kr \
            -purpose sslserver "$work/leaf.pem"
}

wrong_name_refused() {
    if curl -sS --max-time 10 --resolve "pay.example.com:$tls_port:127.0.0.1" \
        --cacert "$work/ca.pem" "https://pay.example.com:$tls_port/users/getToken" 2>&1; then
        return 1
    fi
}

modes_ok() { # the CA's key 0600, its certificate 0644, and no server key on disk
    local d=$work/state/tls
    stat -c '%a %n' "$d"/*
    [ "$(stat -c %a "$d/ca-key.pem")" = 600 ] && [ "$(stat -c %a "$d/ca.pem")" = 644 ] &&
        [ "$(cd "$d" && echo *)" = "ca-key.pem ca.lock ca.pem" ]
}

node_ok() {
    NODE_EXTRA_CA_CERTS="$work/ca.pem" timeout 30 node - "$tls_port" "$secret" <<'JS'
// https.request exactly as a client hard-coding https://api.iamport.kr
// would call it; only the name lookup is pointed at loopback (the part a
// hosts entry does), trust comes from NODE_EXTRA_CA_CERTS alone.
const https = require("https");
const [port, secret] = process.argv.slice(2);
const body = JSON.stringify({ imp_key: "imp_apikey", imp_secret: secret });
const req = https.request(`https://api.iamport.kr:${port}/users/getToken`, {
  method: "POST",
  headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
  lookup: (host, opts, cb) =>
    opts.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4),
  timeout: 10000,
}, (res) => {
  const protocol = res.socket.getProtocol();
  let text = "";
  res.on("data", (d) => (text += d));
  res.on("end", () => {
    console.log(protocol, text);
    const r = JSON.parse(text);
    process.exit(r.code === 0 && r.response.access_token.length === 40 ? 0 : 1);
  });
});
req.on("error", (e) => { console.error(e.message); process.exit(1); });
req.end(body);
JS
}

# javac, installed from Debian (as root) when missing; false when unavailable
have_javac() {
    command -v javac >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || return 1
    local apt=(env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -q -y)
    # the package lists may be missing on a fresh machine: update once if needed
    "${apt[@]}" install --no-install-recommends default-jdk-headless </dev/null >"$work/apt.log" 2>&1 ||
        { "${apt[@]}" update </dev/null >>"$work/apt.log" 2>&1 &&
            "${apt[@]}" install --no-install-recommends default-jdk-headless </dev/null \
                >>"$work/apt.log" 2>&1; }
    command -v javac >/dev/null 2>&1
}

java_ok() {
    mkdir -p "$work/classes"
    timeout 300 javac -d "$work/classes" tests/java/GetTokenOverTls.java || return 1
    printf '127.0.0.1 api.iamport.kr\n' >"$work/hosts"
    keytool -importcert -noprompt -alias impmock-ca -file "$work/ca.pem" \
        -keystore "$work/truststore.p12" -storetype PKCS12 -storepass changeit || return 1
    timeout 120 java -Djdk.net.hosts.file="$work/hosts" \
        -Djavax.net.ssl.trustStore="$work/truststore.p12" -Djavax.net.ssl.trustStorePassword=changeit \
        -cp "$work/classes" GetTokenOverTls "$tls_port"
}

# SIGTERM while a client holds a TLS connection open still exits 0, at once
stop_with_open_connection() {
    (sleep 5 | timeout 10 openssl s_client -quiet -connect "127.0.0.1:$tls_port" \
        -servername api.iamport.kr >/dev/null 2>&1) &
    local client=$!
    sleep 0.5
    local t0=$SECONDS
    stop
    local rc=$?
    kill "$client" 2>/dev/null
    wait "$client" 2>/dev/null
    echo "stopped in $((SECONDS - t0)) s"
    [ "$rc" -eq 0 ] && [ $((SECONDS - t0)) -le 3 ]
}

own_cert_ok() { # --tls-cert/--tls-key: the user's own certificate is served
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/own.key" -out "$work/own.crt" \
        -days 2 -subj /CN=api.iamport.kr -addext subjectAltName=DNS:api.iamport.kr 2>/dev/null || return 1
    start own --tls-port 0 --tls-port-file "$work/tls_port" --tls-cert "$work/own.crt" \
        --tls-key "$work/own.key" || return 1
    curl -sS --max-time 10 --resolve "api.iamport.kr:$tls_port:127.0.0.1" --cacert "$work/own.crt" \
        "https://api.iamport.kr:$tls_port/users/getToken" -d imp_key=imp_apikey \
        -d "imp_secret=$secret" | grep -q '"code":0' || return 1
    stop
}

mismatched_key_refused() { # start-up fails (status 1) naming the key
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/other.key" 2>/dev/null
    local msg rc=0
    msg=$(HOME="$work/home" timeout 10 "$bin" --port 0 --tls-port 0 --tls-cert "$work/own.crt" \
        --tls-key "$work/other.key" 2>&1) || rc=$?
    echo "status $rc: $msg"
    [ "$rc" -eq 1 ] && grep -q -- "--tls-key" <<<"$msg"
}

bad_name_refused() { # status 2, naming where the value came from
    local msg rc=0
    msg=$(timeout 10 "$bin" --tls-port 0 --tls-name 'not a name' 2>&1) || rc=$?
    echo "status $rc: $msg"
    [ "$rc" -eq 2 ] && grep -q -- "--tls-name must be a DNS name or an IP address" <<<"$msg" || return 1
    rc=0
    msg=$(IMPMOCK_TLS_NAMES=ok.example,bad_name timeout 10 "$bin" --tls-port 0 2>&1) || rc=$?
    echo "status $rc: $msg"
    [ "$rc" -eq 2 ] && grep -q "IMPMOCK_TLS_NAMES must be" <<<"$msg"
}

default_ca_dir() { # without --state-dir or --tls-ca-dir: $XDG_DATA_HOME/impmock, else ~/.local/share/impmock
    HOME="$work/home2" XDG_DATA_HOME='' "$bin" --print-ca >/dev/null 2>&1 &&
        [ -s "$work/home2/.local/share/impmock/ca.pem" ] &&
        HOME="$work/home2" XDG_DATA_HOME="$work/xdg" "$bin" --print-ca >/dev/null 2>&1 &&
        [ -s "$work/xdg/impmock/ca.pem" ] &&
        ! cmp -s "$work/xdg/impmock/ca.pem" "$work/home2/.local/share/impmock/ca.pem"
}

# --- the run ---------------------------------------------------------------
common=(--fixtures fixtures/examples/shop.json --state-dir "$work/state"
    --tls-port 0 --tls-port-file "$work/tls_port")
check "impmock starts with --tls-port 0 and writes --tls-port-file" \
    start first "${common[@]}" --tls-name impmock.test --tls-name 10.1.2.3
check "--print-ca prints the CA (made in STATE_DIR/tls)" \
    sh -c "HOME='$work/home' '$bin' --state-dir '$work/state' --print-ca >'$work/ca.pem' &&
           grep -q 'BEGIN CERTIFICATE' '$work/ca.pem'"
check "curl --resolve api.iamport.kr --cacert: getToken" token_ok
check "curl --resolve api.iamport.kr --cacert: a payment lookup" lookup_ok
check "plain HTTP still answers beside TLS" plain_http_ok
check "TLS 1.0 is refused with a protocol_version alert" refused 1.0
check "TLS 1.1 is refused with a protocol_version alert" refused 1.1
check "TLS 1.2 is accepted" accepted 1.2
check "TLS 1.3 is accepted" accepted 1.3
check "the server certificate can be read" fetch_leaf
check "its names: api.iamport.kr, localhost, 127.0.0.1, ::1, --tls-name ones" sans_are \
    "DNS:api.iamport.kr, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:impmock.test, IP Address:10.1.2.3"
check "it is a server certificate (CA:FALSE, serverAuth, CN api.iamport.kr)" leaf_is_server_only
check "it chains to the CA --print-ca prints" chains_to_print_ca
check "a name not in the certificate is refused by curl" wrong_name_refused
check "ca-key.pem is 0600, ca.pem 0644, and no server key is on disk" modes_ok
if command -v node >/dev/null 2>&1; then
    check "node https + NODE_EXTRA_CA_CERTS: getToken at https://api.iamport.kr" node_ok
else
    skip "node https + NODE_EXTRA_CA_CERTS: getToken at https://api.iamport.kr" "no node"
fi
if have_javac; then
    check "java HttpsURLConnection + jdk.net.hosts.file + keytool trust store: getToken" java_ok
else
    skip "java HttpsURLConnection + jdk.net.hosts.file + keytool trust store: getToken" \
        "no javac and not root to install default-jdk-headless"
fi
check "SIGTERM with a TLS connection open exits 0 within 3 s" stop_with_open_connection

cp "$work/ca.pem" "$work/ca-first.pem"
cp "$work/leaf.pem" "$work/leaf-first.pem"
check "restart on the same --state-dir" start second "${common[@]}"
check "the CA is kept across restarts" cmp "$work/state/tls/ca.pem" "$work/ca-first.pem"
renewed() {
    fetch_leaf && ! cmp -s "$work/leaf.pem" "$work/leaf-first.pem" &&
        openssl verify -CAfile "$work/ca-first.pem" "$work/leaf.pem"
}
check "a restart issues a fresh server certificate from the kept CA" renewed
check "getToken after the restart, trusting the first run's CA" token_ok
check "exit status 0 on SIGTERM" stop

check "--tls-cert/--tls-key: the given certificate is served" own_cert_ok
check "--tls-key not matching --tls-cert fails start-up naming it" mismatched_key_refused
check "a bad --tls-name / IMPMOCK_TLS_NAMES is refused (status 2)" bad_name_refused
check "the default CA directory: \$XDG_DATA_HOME/impmock, else ~/.local/share/impmock" default_ca_dir

tap=$({
    echo "1..${#results[@]}"
    i=0
    for r in "${results[@]}"; do
        i=$((i + 1))
        echo "${r%% - *} $i - ${r#* - }"
    done
})
echo "$tap"
[ -z "$out" ] || echo "$tap" >"$out"
! grep -q '^not ok' <<<"$tap"
