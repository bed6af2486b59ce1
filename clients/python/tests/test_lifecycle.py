"""Starting, attaching and stopping without the fixtures, the version tie
to meson.build, and failures that end in bounded time with impmock's own
words."""
import json
import os
import pathlib
import re
import signal
import time

import pytest

import impmock_pytest
from impmock_pytest import ImpmockError, attach, start

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ["IMPMOCK_BIN"]  # set by conftest.py


def meson_version():
    m = re.search(r"project\([^)]*?version\s*:\s*'([^']+)'",
                  (ROOT / "meson.build").read_text(), re.S)
    assert m, "meson.build has a project version"
    return m.group(1)


def test_version_is_impmocks():
    pyproject = (ROOT / "clients" / "python" / "pyproject.toml").read_text()
    m = re.search(r'^version = "([^"]+)"', pyproject, re.M)
    assert m and m.group(1) == meson_version()
    assert impmock_pytest.__version__ == meson_version()
    package_json = json.loads((ROOT / "clients" / "node" / "package.json").read_text())
    assert package_json["version"] == meson_version(), "the Node package agrees"
    with start(BIN) as mock:
        assert mock.health()["version"] == meson_version(), "and the binary under test"


def test_start_and_stop(tmp_path):
    log = tmp_path / "impmock.log"
    mock = start(BIN, args=["--clock", "1704153600"], log_file=str(log))
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock.url)
    assert mock.port > 0 and mock.process.pid > 0
    assert mock.exit_code is None
    assert mock.clock.get()["now"] == 1704153600, "args reach impmock"
    assert mock.stop() == 0
    assert mock.stop() == 0, "a second stop() answers the same"
    with pytest.raises(ImpmockError) as e:
        mock.health()
    assert e.value.status is None, "nothing listens there any more"
    assert log.stat().st_size > 0, "impmock's output is kept in log_file"


def test_two_at_once():
    with start(BIN) as a, start(BIN) as b:
        assert a.port != b.port
        a.clock.set(1000)
        b.clock.set(2000)
        assert (a.clock.get()["now"], b.clock.get()["now"]) == (1000, 2000)


def test_attach_leaves_it_running():
    with start(BIN) as owner:
        guest = attach(owner.url + "/")
        assert guest.url == owner.url
        assert guest.health()["status"] == "ok"
        assert guest.stop() is None
        assert owner.health()["status"] == "ok"


def test_attach_to_nothing_is_bounded():
    t0 = time.monotonic()
    with pytest.raises(ImpmockError, match=r"did not answer /__mock/health within 0\.3 s"):
        attach("http://127.0.0.1:9", timeout=0.3)
    assert time.monotonic() - t0 < 3


def test_admin_token():
    with start(BIN, admin_token="tok-123") as mock:
        assert mock.admin_token == "tok-123"
        assert mock.clock.freeze()["frozen"] is True
        with pytest.raises(ImpmockError) as e:
            attach(mock.url, admin_token="nope").clock.get()
        assert e.value.status == 401
        bare = attach(mock.url, admin_token="")
        with pytest.raises(ImpmockError) as e:
            bare.reset()
        assert e.value.status == 401
        assert bare.health()["status"] == "ok", "health needs no token"


def test_missing_binary():
    with pytest.raises(ImpmockError, match="cannot start"):
        start(str(ROOT / "no-such-impmock"))


def test_refused_options_give_impmocks_message():
    with pytest.raises(ImpmockError, match=r"exited during start-up \(\d+\)") as e:
        start(BIN, args=["--journal-size", "many"])
    assert "journal-size" in str(e.value)


def test_no_port_file_in_time(tmp_path):
    fake = tmp_path / "silent"
    pid_file = tmp_path / "pid"
    fake.write_text("#!/bin/sh\necho $$ > %s\nexec sleep 30\n" % pid_file)
    fake.chmod(0o755)
    t0 = time.monotonic()
    with pytest.raises(ImpmockError, match=r"wrote no port file within 0\.4 s"):
        start(str(fake), timeout=0.4)
    assert time.monotonic() - t0 < 3
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_stop_after_a_crash_reports_the_signal():
    mock = start(BIN)
    mock.process.send_signal(signal.SIGKILL)
    mock.process.wait(timeout=5)
    assert mock.stop() == -signal.SIGKILL
