#!/usr/bin/env python3
"""route_statuses.py - the statuses column of mock/http/routes.c, from the Swagger.

Every row of the route table carries the HTTP statuses its operation may
answer with (reference §16.0): what the operation lists in the official V1
Swagger, and for the rows the Swagger does not describe, what EXTRA says.
The control API and the browser pages (no Swagger operation) list ST_ALL.
401 for a bad token on every authenticated route is added by routes.c
itself, so rows keep the Swagger's own list.

Usage: route_statuses.py SWAGGER_JSON [ROUTES_C] [--write]
  without --write: checks the column, prints TAP, exit 1 on a difference
  with --write:    rewrites the column in ROUTES_C (default: mock/http/routes.c)
"""
import json
import os
import re
import sys

KNOWN = [200, 207, 400, 401, 404, 405, 409, 500, 501]

# Rows whose statuses are not (only) the Swagger's, each with its evidence.
EXTRA = {
    # §3.8: the live API answers an unknown pre-registration with 404 (the
    # Swagger lists 200 and 401 only); docs/decisions.md
    ("GET", "/payments/prepare/{}"): {"like": "/payments/prepare/{merchant_uid}", "add": [404]},
    # §3.3/§3.4: the status segment is optional; official clients call the
    # short form, which answers as the long one
    ("GET", "/payments/find/{}"): {"like": "/payments/find/{merchant_uid}/{payment_status}"},
    ("GET", "/payments/findAll/{}"): {"like": "/payments/findAll/{merchant_uid}/{payment_status}"},
    # §22: legacy, not in the Swagger; the 2023 docs schema lists only 200
    ("GET", "/kakao/payment/orders"): {"statuses": [200, 401]},
    # §23.4: legacy, not in the Swagger; an alias of onetime (200, 401)
    ("POST", "/subscribe/payments/foreign"): {"like": "/subscribe/payments/onetime"},
}

ROW = re.compile(
    r'^(?P<head>\s*\{"(?P<method>[A-Z]+)",\s*"(?P<pattern>[^"]+)",\s*\w+,\s*(?P<auth>\w+),'
    r"\s*\w+,\s*\w+,\s*\{[^}]*\})(?P<col>,\s*[^}]*)?(?P<tail>\},.*)$"
)


def swagger_ops(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ops = {}
    for p, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            pattern = re.sub(r"\{[^}]*\}", "{}", p)
            ops[(method.upper(), pattern)] = (p, sorted(int(s) for s in op["responses"]))
    return ops


def expected(method, pattern, ops):
    extra = EXTRA.get((method, pattern))
    if extra and "statuses" in extra:
        return sorted(extra["statuses"])
    if extra and "like" in extra:
        key = (method, re.sub(r"\{[^}]*\}", "{}", extra["like"]))
        return sorted(set(ops[key][1]) | set(extra.get("add", [])))
    if (method, pattern) in ops:
        return ops[(method, pattern)][1]
    return None  # not an i'mport operation: ST_ALL


def column(statuses):
    if statuses is None:
        return "ST_ALL"
    for s in statuses:
        if s not in KNOWN:
            raise SystemExit(f"status {s} has no ST_ bit in mock/http/api.h")
    return " | ".join(f"ST_{s}" for s in statuses)


def main(argv):
    args = [a for a in argv[1:] if a != "--write"]
    write = "--write" in argv
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    ops = swagger_ops(args[0])
    here = os.path.dirname(os.path.abspath(__file__))
    routes = args[1] if len(args) > 1 else os.path.join(here, "..", "mock", "http", "routes.c")
    with open(routes, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, wrong, seen, n = [], [], set(), 0
    for line in lines:
        m = ROW.match(line)
        if not m:
            out.append(line)
            continue
        n += 1
        method, pattern = m["method"], m["pattern"]
        seen.add((method, pattern))
        want = column(expected(method, pattern, ops))
        have = (m["col"] or "").lstrip(", ").strip()
        if have != want:
            wrong.append(f"{method} {pattern}: has '{have}', Swagger says '{want}'")
        out.append(f"{m['head']}, {want}{m['tail']}")
    missing = sorted(f"{m} {p}" for (m, p) in ops if (m, p) not in seen)
    if write:
        with open(routes, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
        print(f"{routes}: {n} rows written")
        return 0
    print("1..2")
    print(("ok" if not wrong else "not ok") + f" 1 - statuses of {n} routes match the Swagger")
    for w in wrong:
        print(f"# {w}")
    print(("ok" if not missing else "not ok") + f" 2 - every one of {len(ops)} operations is routed")
    for w in missing:
        print(f"# not routed: {w}")
    return 1 if wrong or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
