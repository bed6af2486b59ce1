"""The plugin as a user meets it: an inner pytest run (pytester) with the
plugin, its command-line options and ini settings."""
import os
import pathlib

import pytest

from impmock_pytest import start

INNER = """
def test_one(impmock):
    print("START", impmock.clock.get())
    impmock.clock.set(1000)
    impmock.scenarios.load({"name": "s", "description": "d",
                            "rules": [{"when": {}, "then": {"delay_ms": 1}}]})

def test_two(impmock, impmock_server):
    assert impmock is impmock_server
    assert impmock.scenarios.list() == [], "reset between tests"
    print("URL", impmock.url)
"""


PACKAGE_DIR = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def inner(pytester, monkeypatch):
    # the inner run finds the plugin without an install, from its own directory
    path = [str(PACKAGE_DIR)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    pytester.makepyfile(test_inner=INNER)
    return pytester


def test_starts_the_binary_with_args(inner):
    result = inner.runpytest_subprocess(
        "-p", "impmock_pytest", "--impmock-bin=" + os.environ["IMPMOCK_BIN"],
        "--impmock-arg=--clock", "--impmock-arg=1704153600", "-s", timeout=60)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*START {'now': 1704153600, 'frozen': True}*"])
    result.stdout.re_match_lines([r".*URL http://127\.0\.0\.1:\d+$"])


def test_attaches_by_url_and_leaves_it_running(inner):
    with start(os.environ["IMPMOCK_BIN"]) as mock:
        inner.makeini("[pytest]\nimpmock_url = %s\n" % mock.url)
        result = inner.runpytest_subprocess("-p", "impmock_pytest", "-s", timeout=60)
        result.assert_outcomes(passed=2)
        result.stdout.fnmatch_lines(["*URL %s" % mock.url])
        assert mock.health()["status"] == "ok", "still running"


def test_no_reset_when_turned_off(inner):
    inner.makeini("[pytest]\nimpmock_reset = false\n")
    result = inner.runpytest_subprocess(
        "-p", "impmock_pytest", "--impmock-bin=" + os.environ["IMPMOCK_BIN"], timeout=60)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*reset between tests*"])


def test_a_bad_binary_is_an_error_not_a_hang(inner):
    result = inner.runpytest_subprocess(
        "-p", "impmock_pytest", "--impmock-bin=/nonexistent/impmock", timeout=60)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*ImpmockError: /nonexistent/impmock: cannot start*"])
