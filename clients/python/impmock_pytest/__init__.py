"""pytest plugin for impmock, the i'mport (PortOne V1) mock.

Fixtures:
  impmock_server  (session) one impmock for the whole run: started from a
                  binary on a free loopback port, or attached to by URL
  impmock         (function) the same impmock, reset to its fixtures before
                  the test (unless impmock_reset = false)

Where impmock comes from, first match wins:
  --impmock-url URL  / $IMPMOCK_URL  / ini impmock_url   attach to a running one
  --impmock-bin PATH / $IMPMOCK_BIN  / ini impmock_bin   start this binary
  otherwise `impmock` on PATH is started.
More options for a started binary: --impmock-arg (repeatable) or ini
impmock_args; the admin token: --impmock-admin-token or $IMPMOCK_ADMIN_TOKEN.

Outside pytest, impmock_pytest.start() and attach() give the same client.
"""
import os

import pytest

from impmock_pytest.client import (DEFAULT_IMP_KEY, DEFAULT_IMP_SECRET, Impmock, ImpmockError,
                                   __version__, attach, start)

__all__ = ["Impmock", "ImpmockError", "attach", "start", "__version__",
           "DEFAULT_IMP_KEY", "DEFAULT_IMP_SECRET"]


def pytest_addoption(parser):
    group = parser.getgroup("impmock", "impmock, the i'mport mock")
    group.addoption("--impmock-url", default=None,
                    help="attach to the impmock running at this URL")
    group.addoption("--impmock-bin", default=None,
                    help="start this impmock binary (default $IMPMOCK_BIN, else impmock on PATH)")
    group.addoption("--impmock-arg", action="append", default=[],
                    help="one more command-line option for a started impmock (repeatable)")
    group.addoption("--impmock-admin-token", default=None,
                    help="impmock's --admin-token (default $IMPMOCK_ADMIN_TOKEN)")
    parser.addini("impmock_url", "attach to the impmock running at this URL")
    parser.addini("impmock_bin", "the impmock binary to start")
    parser.addini("impmock_args", "command-line options for a started impmock", type="args")
    parser.addini("impmock_reset", "reset impmock before each test that uses the impmock fixture",
                  type="bool", default=True)


def _setting(config, option, ini, env):
    return config.getoption(option) or os.environ.get(env) or config.getini(ini) or None


@pytest.fixture(scope="session")
def impmock_server(request):
    """One impmock for the session; stopped at its end (an attached one is
    left running)."""
    config = request.config
    token = config.getoption("impmock_admin_token") or os.environ.get("IMPMOCK_ADMIN_TOKEN")
    url = _setting(config, "impmock_url", "impmock_url", "IMPMOCK_URL")
    if url:
        mock = attach(url, admin_token=token)
    else:
        binary = _setting(config, "impmock_bin", "impmock_bin", "IMPMOCK_BIN")
        args = list(config.getini("impmock_args")) + list(config.getoption("impmock_arg"))
        mock = start(binary, args=args, admin_token=token)
    yield mock
    mock.stop()


@pytest.fixture
def impmock(impmock_server, request):
    """The session's impmock, reset to its fixtures first."""
    if request.config.getini("impmock_reset"):
        impmock_server.reset()
    return impmock_server
