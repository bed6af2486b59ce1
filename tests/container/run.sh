#!/usr/bin/env bash
# run.sh - builds the container image from the root Containerfile with
# podman and runs it as a user would: waits for the HEALTHCHECK to pass,
# gets a token and makes a charge from the host over 127.0.0.1, stops the
# container and checks its exit status, then starts a new container on the
# same state volume and finds the payment again. Prints TAP, one line per
# check, with the image size and the start-to-healthy times as comments.
# Exit status 0 only when every check passed.
#
# Runs as root (CI does): installs podman, runc, mmdebstrap and curl with
# apt when missing. When docker.io/library/debian:12-slim is neither stored
# nor pullable, makes it from Debian's own mirror with mmdebstrap, close to
# the registry's image (minbase, merged /usr, no docs, man pages or locales).
# Facts about the CI machines that shape the podman calls: crun fails on
# their cgroup set-up (--runtime runc), limits may not be raised (--ulimit
# at the defaults), builds that run apt need --network host, and there is
# no systemd (healthchecks run with `podman healthcheck run`, no timer).
#
# IMPMOCK_IMAGE names the image built (default localhost/impmock:ci); it is
# kept for the next run's build cache. Containers and the volume go at exit.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

image=${IMPMOCK_IMAGE:-localhost/impmock:ci}
base=docker.io/library/debian:12-slim
podman=(podman --runtime runc)
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
name=impmock-ci-$$
volume=impmock-ci-state-$$
work=$(mktemp -d /tmp/impmock-container.XXXXXX)
secret=ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f

plan=15
n=0
failed=0
echo "1..$plan"

cleanup() {
    if command -v podman >/dev/null 2>&1; then
        timeout 60 "${podman[@]}" rm -f -i -t 5 "$name-1" "$name-2" "$name-probe" >/dev/null 2>&1
        timeout 60 "${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# check DESCRIPTION COMMAND... - one TAP line from COMMAND's exit status;
# on failure the tail of $work/log follows as comments.
check() {
    local desc=$1
    shift
    n=$((n + 1))
    : >"$work/log"
    if "$@" >>"$work/log" 2>&1; then
        echo "ok $n - $desc"
        return 0
    fi
    echo "not ok $n - $desc"
    tail -n 15 "$work/log" | sed 's/^/#   /'
    failed=$((failed + 1))
    return 1
}

# bail REASON - the checks left cannot run: the summary counts the stop as
# a failure.
bail() {
    echo "Bail out! $1"
    exit 1
}

now_ms() {
    date +%s%3N
}

# json_field FILE PYTHON_EXPR - prints the expression over the parsed file
# (as j), or nothing when it does not parse.
json_field() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$1" "$2" 2>/dev/null
}

# api METHOD PATH [JSON] - one call to the container from the host; the
# body lands in $work/body. Every call is bounded to 10 s.
api() {
    local args=(-s -m 10 -o "$work/body" -w '%{http_code}' -X "$1" "http://127.0.0.1:$port$2")
    [ -n "${token:-}" ] && args+=(-H "Authorization: Bearer $token")
    [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' -d "$3")
    curl "${args[@]}"
}

tools_present() {
    local missing=() t
    for t in podman runc mmdebstrap curl; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || {
        echo "missing ${missing[*]}; as root: apt-get install ${missing[*]}"
        return 1
    }
    local apt=(env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -q -y)
    "${apt[@]}" update </dev/null && "${apt[@]}" install --no-install-recommends \
        podman runc mmdebstrap curl </dev/null
}

# The registry's debian:12-slim when it can be pulled, else one made here.
base_present() {
    timeout 60 "${podman[@]}" image exists "$base" && return 0
    timeout 120 "${podman[@]}" pull -q "$base" && return 0
    echo "no registry: making $base with mmdebstrap"
    timeout 600 mmdebstrap --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-include=/usr/share/locale/locale.alias' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --dpkgopt='path-exclude=/usr/share/lintian/*' \
        bookworm "$work/base.tar" http://deb.debian.org/debian || return 1
    timeout 300 "${podman[@]}" import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' "$work/base.tar" "$base" || return 1
    rm -f "$work/base.tar"
}

# --format docker: the OCI image format has no HEALTHCHECK
build_image() {
    timeout 1800 "${podman[@]}" build --format docker --network host "${limits[@]}" \
        -t "$image" -f Containerfile .
}

image_config() {
    local user expose health
    user=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image") || return 1
    expose=$("${podman[@]}" image inspect --format '{{json .Config.ExposedPorts}}' "$image")
    health=$("${podman[@]}" image inspect --format '{{json .Config.Healthcheck.Test}}' "$image")
    echo "user '$user', exposed $expose, healthcheck $health"
    [ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] &&
        [[ $expose == *'"8080/tcp"'* ]] && [[ $health == *'"impmock","--healthcheck"'* ]]
}

# Only impmock and its libraries: no download tool, compiler or test library.
image_lean() {
    # shellcheck disable=SC2016 # expanded by the container's shell
    timeout 60 "${podman[@]}" run --rm --network none "${limits[@]}" --entrypoint sh "$image" \
        -c 'found=0
            for t in curl wget gcc cc meson ninja; do
                command -v "$t" && found=1
            done
            ls /usr/lib/x86_64-linux-gnu/libcmocka* 2>/dev/null && found=1
            exit $found'
}

# impmock --healthcheck must be able to fail: nothing listens in this container.
probe_fails_alone() {
    local rc=0
    timeout 60 "${podman[@]}" run --name "$name-probe" --rm --network none "${limits[@]}" \
        "$image" --healthcheck || rc=$?
    echo "exit status $rc"
    [ "$rc" -eq 1 ]
}

# start SUFFIX - runs a container on the state volume, published on
# 127.0.0.1:$port, and records when it started in $started.
start() {
    started=$(now_ms)
    timeout 60 "${podman[@]}" run -d --name "$name-$1" "${limits[@]}" \
        --health-interval disable -p "127.0.0.1:$port:8080" -v "$volume:/var/lib/impmock" \
        "$image" --host 0.0.0.0 --state-dir /var/lib/impmock
}

# healthy SUFFIX - waits up to 30 s for the image's HEALTHCHECK to pass.
healthy() {
    local deadline=$(($(now_ms) + 30000))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        if timeout 10 "${podman[@]}" healthcheck run "$name-$1" >/dev/null 2>&1; then
            echo "# start to healthy: $(($(now_ms) - started)) ms" >"$work/timing"
            return 0
        fi
        sleep 0.1
    done
    "${podman[@]}" logs "$name-$1"
    return 1
}

get_token() {
    token=
    local status
    status=$(api POST /users/getToken "{\"imp_key\":\"imp_apikey\",\"imp_secret\":\"$secret\"}")
    cat "$work/body"
    echo
    token=$(json_field "$work/body" 'j["response"]["access_token"]')
    [ "$status" = 200 ] && [ -n "$token" ]
}

issue_key() {
    local status
    status=$(api POST /subscribe/customers/cust_ci \
        '{"card_number":"4242-4242-4242-4242","expiry":"2030-12","birth":"900101","pwd_2digit":"00"}')
    cat "$work/body"
    echo
    [ "$status" = 200 ] && [ "$(json_field "$work/body" 'j["code"]')" = 0 ]
}

charge() {
    local status
    status=$(api POST /subscribe/payments/again \
        '{"customer_uid":"cust_ci","merchant_uid":"ci_order_1","amount":9900,"name":"CI plan"}')
    cat "$work/body"
    echo
    imp_uid=$(json_field "$work/body" 'j["response"]["imp_uid"]')
    [ "$status" = 200 ] && [ "$(json_field "$work/body" 'j["code"]')" = 0 ] &&
        [ "$(json_field "$work/body" 'j["response"]["status"]')" = paid ] && [ -n "$imp_uid" ]
}

not_root() {
    local uid
    uid=$(timeout 30 "${podman[@]}" exec "$name-1" sh -c 'id -u') || return 1
    echo "uid $uid"
    [ "$uid" != 0 ]
}

# stop SUFFIX - SIGTERM, then the exit status impmock gave.
stop() {
    local code
    timeout 60 "${podman[@]}" stop -t 10 "$name-$1" || return 1
    code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$name-$1")
    echo "exit status $code"
    [ "$code" = 0 ]
}

payment_kept() {
    local status
    get_token || return 1
    status=$(api GET "/payments/$imp_uid")
    cat "$work/body"
    echo
    [ "$status" = 200 ] && [ "$(json_field "$work/body" 'j["response"]["merchant_uid"]')" = ci_order_1 ] &&
        [ "$(json_field "$work/body" 'j["response"]["status"]')" = paid ]
}

check "podman, runc, mmdebstrap and curl are installed" tools_present ||
    bail "podman cannot run here"
check "base image $base is present" base_present || bail "no base image"
check "the image builds from Containerfile" build_image || bail "the image does not build"
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
base_size=$("${podman[@]}" image inspect --format '{{.Size}}' "$base")
awk -v s="$size" -v b="$base_size" -v n="$base" \
    'BEGIN { printf "# image size: %.1f MB (%.1f MB over %s)\n", s / 1e6, (s - b) / 1e6, n }'
check "the image runs as a non-root user, exposes 8080 and has a HEALTHCHECK" image_config
check "the image holds no curl, compiler, build tool or cmocka" image_lean
check "impmock --healthcheck fails when nothing answers" probe_fails_alone

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 60 "${podman[@]}" volume create "$volume" >/dev/null || bail "cannot create a volume"
start 1 >"$work/start.log" 2>&1
check "the container becomes healthy within 30 s" healthy 1 || bail "the container never became healthy"
cat "$work/timing"
check "getToken from the host over 127.0.0.1" get_token
check "a billing key issued from the host" issue_key
check "a charge made from the host is paid" charge
check "impmock in the container does not run as root" not_root
check "podman stop: impmock exits with status 0" stop 1
timeout 60 "${podman[@]}" rm "$name-1" >/dev/null 2>&1
start 2 >"$work/start.log" 2>&1
check "a new container on the same state volume becomes healthy" healthy 2 ||
    bail "the second container never became healthy"
cat "$work/timing"
check "the payment is still there after the restart (--state-dir on a volume)" payment_kept
check "the second container exits with status 0" stop 2

[ "$n" -eq "$plan" ] || echo "# ran $n checks, planned $plan"
[ "$failed" -eq 0 ] && [ "$n" -eq "$plan" ]
