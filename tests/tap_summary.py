#!/usr/bin/env python3
"""tap_summary.py - counts the test cases of every run that tests/run-all.sh made.

Sources, in any number and order:
  --meson LABEL BUILDDIR STATUS   a `meson test` run; STATUS is its exit code, or
                                  the word `unbuilt` when configure/build failed
  --tap LABEL FILE                a TAP file written by the runner itself

Each test executable prints TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP); meson
keeps its stdout in BUILDDIR/meson-logs/testlog.json. An executable that
stopped early is not dropped: results missing from its plan count as failed,
no plan at all counts as one failure, and a run meson judged failed (a leak
found at exit, a timeout, a bad exit code) with no failed case of its own
counts as one failure. Prints per-suite lines, then the failures, and last
exactly "N passed, N failed". Exits 1 when anything failed or when the meson
runs held no test case at all.
"""
import json
import os
import re
import sys

RESULT_RE = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(.*)$')
PLAN_RE = re.compile(r'^1\.\.(\d+)')
DIRECTIVE_RE = re.compile(r'(?:^|\s)#\s*(SKIP|TODO)\b\s*(.*)$', re.IGNORECASE)
MESON_OK = {'OK', 'SKIP', 'EXPECTEDFAIL'}


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.executables = 0

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.executables += other.executables


def count_tap(text, where, failures, meson_result=None, returncode=None):
    """Counts one executable's TAP output; appends failure descriptions."""
    t = Tally()
    t.executables = 1
    planned = 0
    has_plan = False
    seen = 0
    bailed = False
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith('Bail out!'):
            bailed = True
            failures.append('%s: %s' % (where, line))
            break
        m = PLAN_RE.match(line)
        if m:
            # cmocka prints one plan per group; several groups add up
            has_plan = True
            planned += int(m.group(1))
            continue
        m = RESULT_RE.match(line)
        if not m:
            continue
        seen += 1
        ok = m.group(1) == 'ok'
        rest = m.group(3)
        d = DIRECTIVE_RE.search(rest)
        name = rest[:d.start()] if d else rest
        name = name.strip().lstrip('-').strip()
        if not name and d:
            name = d.group(2).strip()  # cmocka: "not ok 3 # SKIP name"
        directive = d.group(1).upper() if d else None
        if ok and directive == 'SKIP':
            t.skipped += 1
        elif not ok and directive == 'TODO':
            t.skipped += 1
        elif ok:
            t.passed += 1
        else:
            # includes cmocka 1.1's "not ok N # SKIP", which meson also fails
            t.failed += 1
            failures.append('%s: not ok %s - %s%s' % (
                where, m.group(2) or '?', name or '(unnamed)',
                ' (skip printed as not ok)' if directive == 'SKIP' else ''))
    if meson_result == 'SKIP' and not has_plan and seen == 0:
        t.skipped += 1
        return t
    if not has_plan:
        t.failed += 1
        failures.append('%s: no TAP plan (crashed before its first test, or not a TAP program; '
                        'meson result %s, exit %s)' % (where, meson_result, returncode))
    elif seen < planned:
        missing = planned - seen
        t.failed += missing
        failures.append('%s: %d of %d planned results missing (%s; meson result %s, exit %s)' % (
            where, missing, planned, 'bailed out' if bailed else 'stopped early',
            meson_result, returncode))
    if meson_result is not None and meson_result not in MESON_OK and t.failed == 0:
        t.failed += 1
        failures.append('%s: meson result %s (exit %s) although every case passed' % (
            where, meson_result, returncode))
    return t


def suite_names(builddir):
    """test name -> first suite, from the build's introspection data."""
    names = {}
    try:
        with open(os.path.join(builddir, 'meson-info', 'intro-tests.json')) as f:
            for t in json.load(f):
                suites = t.get('suite') or ['-']
                names.setdefault(t['name'], suites[0].partition(':')[2] or suites[0])
    except (OSError, ValueError):
        pass
    return names


def split_name(full, known):
    """'impmock:unit / store' (several suites ran) or 'store' -> ('unit', 'store')."""
    left, sep, test = full.partition(' / ')
    if not sep:
        return known.get(full, '-'), full
    return left.partition(':')[2] or left, test


def read_meson(label, builddir, status, suites, failures):
    """Adds one meson run to suites; returns how many test cases it held."""
    if status == 'unbuilt':
        t = Tally()
        t.failed = 1
        failures.append('%s: configure or build failed, no test ran' % label)
        suites.setdefault((label, '(build)'), Tally()).add(t)
        return 0
    log = os.path.join(builddir, 'meson-logs', 'testlog.json')
    run = Tally()
    known = suite_names(builddir)
    if os.path.exists(log):
        with open(log, encoding='utf-8', errors='replace') as f:
            for line in f:
                if not line.strip():
                    continue
                e = json.loads(line)
                suite, test = split_name(e.get('name', '?'), known)
                t = count_tap(e.get('stdout') or '', '%s %s/%s' % (label, suite, test), failures,
                              e.get('result'), e.get('returncode'))
                suites.setdefault((label, suite), Tally()).add(t)
                run.add(t)
    if status != '0' and run.failed == 0:
        t = Tally()
        t.failed = 1
        failures.append('%s: meson test exited with %s' % (label, status))
        suites.setdefault((label, '(meson)'), Tally()).add(t)
    return run.passed + run.failed + run.skipped


def main(argv):
    suites = {}
    failures = []
    meson_cases = 0
    meson_runs = 0
    i = 1
    while i < len(argv):
        if argv[i] == '--meson' and i + 3 < len(argv):
            meson_runs += 1
            meson_cases += read_meson(argv[i + 1], argv[i + 2], argv[i + 3], suites, failures)
            i += 4
        elif argv[i] == '--tap' and i + 2 < len(argv):
            label, path = argv[i + 1], argv[i + 2]
            try:
                text = open(path, encoding='utf-8', errors='replace').read()
            except OSError:
                # the runner never wrote it: one failed case, not a crash here
                text = '1..1\nnot ok 1 - %s: no results (%s missing)\n' % (label, path)
            t = count_tap(text, label, failures)
            suites.setdefault((label, '-'), Tally()).add(t)
            i += 3
        else:
            sys.stderr.write('usage: tap_summary.py [--meson LABEL DIR STATUS] [--tap LABEL FILE]\n')
            return 2

    total = Tally()
    wl = max([len('run')] + [len(k[0]) for k in suites])
    ws = max([len('suite')] + [len(k[1]) for k in suites])
    row = '%-*s  %-*s  %6s  %6s  %7s  %5s'
    print('')
    print(row % (wl, 'run', ws, 'suite', 'passed', 'failed', 'skipped', 'exes'))
    for (label, suite), t in sorted(suites.items()):
        print(row % (wl, label, ws, suite, t.passed, t.failed, t.skipped, t.executables))
        total.add(t)
    if failures:
        print('')
        print('failures:')
        for f in failures:
            print('  ' + f)
    if total.skipped:
        print('%d skipped' % total.skipped)
    no_cases = meson_runs > 0 and meson_cases == 0
    if no_cases:
        print('no test case ran in any meson build: is any test registered in tests/meson.build?')
    print('%d passed, %d failed' % (total.passed, total.failed))
    return 1 if total.failed or no_cases else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
