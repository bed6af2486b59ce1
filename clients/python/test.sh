#!/usr/bin/env bash
# test.sh TAP_FILE - runs the pytest plugin's tests against a real impmock,
# $IMPMOCK_BIN (relative to the repository's root; default build/impmock),
# with the plugin loaded from this directory (-p, no install), and writes
# one TAP line per test to TAP_FILE. Exit status non-zero when a test
# failed or the run did not finish. Needs Debian's python3-pytest: the
# first of $PYTHON, python3, /usr/bin/python3 that can import pytest runs it.
set -uo pipefail
out=${1:?usage: clients/python/test.sh TAP_FILE}
out=$(realpath -m -- "$out")
here=$(cd "$(dirname "$0")" && pwd)

python=
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$candidate" -c 'import pytest' >/dev/null 2>&1; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    printf '1..1\nnot ok 1 - clients/python: no python3 with pytest (apt-get install python3-pytest)\n' >"$out"
    exit 1
fi

junit=$(mktemp)
trap 'rm -f "$junit"' EXIT
rc=0
(cd "$here/../.." &&
    PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" timeout -k 10 600 \
        "$python" -m pytest -q -p impmock_pytest -p no:cacheprovider \
        --junitxml="$junit" "$here/tests" </dev/null) || rc=$?

# junit XML -> TAP: one line per test case, skips as "# SKIP"
"$python" - "$junit" "$rc" >"$out" <<'PY'
import sys
import xml.etree.ElementTree as ET

path, rc = sys.argv[1], int(sys.argv[2])
try:
    cases = list(ET.parse(path).getroot().iter("testcase"))
except (OSError, ET.ParseError):
    cases = []
lines = []
for n, case in enumerate(cases, 1):
    name = "%s::%s" % (case.get("classname", ""), case.get("name", ""))
    bad = case.find("failure")
    if bad is None:
        bad = case.find("error")
    skipped = case.find("skipped")
    if bad is not None:
        lines.append("not ok %d - %s" % (n, name))
        for text in (bad.get("message") or "").splitlines()[:5]:
            lines.append("# " + text)
    elif skipped is not None:
        lines.append("ok %d - %s # SKIP %s" % (n, name, skipped.get("message", "")))
    else:
        lines.append("ok %d - %s" % (n, name))
if rc != 0 and not any(l.startswith("not ok") for l in lines):
    lines.append("not ok %d - clients/python: pytest exited with status %d" % (len(lines) + 1, rc))
print("1..%d" % sum(1 for l in lines if not l.startswith("#")))
print("\n".join(lines))
PY
exit "$rc"
