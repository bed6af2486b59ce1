#!/usr/bin/env python3
"""check_layers.py - the layout rules of mock/, as TAP.

mock/ has one folder per layer, ordered from the top down:

    main.c -> http/ -> domain/ -> state/ -> infra/ -> base/

  1. A file includes project headers only from its own folder or a folder
     below it (main.c, at the top, may include any).
  2. Third-party headers stay in the layers allowed to use them (THIRD_PARTY);
     domain/ and base/ use none, not even through a project header.
  3. No source file over MAX_FILE_LINES lines, no function over MAX_FN_LINES.

Usage: check_layers.py [MOCK_DIR]   (default: the mock/ beside tools/)
Prints TAP, one case per rule with the offenders as comments; exit 1 on any.
"""
import os
import re
import sys

LAYERS = ["base", "infra", "state", "domain", "http"]  # bottom first
THIRD_PARTY = {
    "civetweb.h": {"http"},
    "cJSON.h": {"infra", "state", "http"},
    "curl.h": {"infra", "http"},  # http/: the --healthcheck probe
    "sodium.h": {"infra", "state"},
    "openssl/": {"infra"},  # every header under openssl/
}
NO_THIRD_PARTY = {"base", "domain"}  # not even through a project header
MAX_FILE_LINES = 800
MAX_FN_LINES = 120

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def layer_of(rel):
    """'http/server.c' -> 'http'; 'main.c' -> None (the top)."""
    head = rel.split("/", 1)[0]
    return head if head in LAYERS else None


def rank(layer):
    return len(LAYERS) if layer is None else LAYERS.index(layer)


def sources(mock):
    for root, _, files in os.walk(mock):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                full = os.path.join(root, f)
                yield os.path.relpath(full, mock), full


def includes(path):
    with open(path, encoding="utf-8") as fh:
        return INCLUDE.findall(fh.read())


def third_party_name(header):
    if header.startswith("openssl/"):
        return "openssl/"
    base = os.path.basename(header)
    return base if base in THIRD_PARTY else None


def check_direction(mock, files):
    bad = []
    for rel, full in files:
        mine = layer_of(rel)
        for kind, inc in includes(full):
            if kind != '"':
                continue
            target = inc.split("/", 1)[0]
            if target not in LAYERS:
                continue  # a generated header of the same folder (http/asset_*.h)
            if rank(target) > rank(mine):
                bad.append(f"{rel} includes {inc}: {target}/ is above {mine}/")
    return bad


def check_third_party(mock, files):
    bad = []
    for rel, full in files:
        mine = layer_of(rel)
        if mine is None:
            continue
        for kind, inc in includes(full):
            name = third_party_name(inc)
            if name and mine not in THIRD_PARTY[name]:
                bad.append(f"{rel} includes <{inc}>, which {mine}/ may not use")
        if mine in NO_THIRD_PARTY:
            seen, queue = set(), [full]
            while queue:
                cur = queue.pop()
                for kind, inc in includes(cur):
                    dep = os.path.join(mock, inc)
                    if kind == '"' and os.path.isfile(dep) and dep not in seen:
                        seen.add(dep)
                        queue.append(dep)
                        for k2, inc2 in includes(dep):
                            if third_party_name(inc2):
                                bad.append(f"{rel} reaches <{inc2}> through "
                                           f"{os.path.relpath(dep, mock)}")
    return sorted(set(bad))


def functions(path):
    """(name, first line, length) of each function body: clang-format puts a
    function's braces alone in column 0 (BreakBeforeBraces: Linux)."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "{" and i > 0:
            j = i - 1
            while j > 0 and "(" not in lines[j]:
                j -= 1
            m = re.search(r"([A-Za-z_]\w*)\s*\(", lines[j])
            start = (m.group(1) if m else "?", i)
        elif line.startswith("}") and start:
            yield start[0], start[1] + 1, i - start[1] + 1
            start = None


def check_sizes(mock, files):
    long_files, long_fns = [], []
    for rel, full in files:
        with open(full, encoding="utf-8") as fh:
            n = fh.read().count("\n")
        if n > MAX_FILE_LINES:
            long_files.append(f"{rel}: {n} lines (at most {MAX_FILE_LINES})")
        if rel.endswith(".c"):
            for name, line, length in functions(full):
                if length > MAX_FN_LINES:
                    long_fns.append(f"{rel}:{line} {name}(): {length} lines "
                                    f"(at most {MAX_FN_LINES})")
    return long_files, long_fns


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    mock = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "mock")
    files = list(sources(mock))
    long_files, long_fns = check_sizes(mock, files)
    cases = [
        ("includes go down the layers only", check_direction(mock, files)),
        ("third-party headers stay in their layers", check_third_party(mock, files)),
        (f"source files at most {MAX_FILE_LINES} lines", long_files),
        (f"functions at most {MAX_FN_LINES} lines", long_fns),
    ]
    print(f"1..{len(cases)}")
    failed = 0
    for i, (name, bad) in enumerate(cases, 1):
        print(("ok" if not bad else "not ok") + f" {i} - {name}")
        for b in bad:
            print(f"# {b}")
        failed += bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
