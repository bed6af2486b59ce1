"""impmock for tests: start impmock on a free loopback port or attach to one
that runs, and steer it through its control API under /__mock/.

Standard library only (urllib, subprocess). Every wait is bounded; stop()
ends only what start() began.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

__version__ = "0.1.0"

# The default fixtures' merchant (fixtures/default.json): token() uses it
# when no key pair is given.
DEFAULT_IMP_KEY = "imp_apikey"
DEFAULT_IMP_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"


class ImpmockError(Exception):
    """An answer other than 2xx from impmock, a refused getToken, or an
    impmock that could not be started or reached. status is the HTTP status
    (None when there was no answer), body the parsed answer, code its
    "code" field when it has one."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body
        self.code = body.get("code") if isinstance(body, dict) else None


def _query(**params):
    items = [(k, str(v).lower() if isinstance(v, bool) else str(v))
             for k, v in params.items() if v is not None]
    return "?" + urllib.parse.urlencode(items) if items else ""


def _tail(path, lines=20):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "\n".join(f.read().rstrip().splitlines()[-lines:])
    except OSError:
        return ""


class _Clock:
    def __init__(self, mock):
        self._mock = mock

    def get(self):
        return self._mock._call("GET", "/__mock/clock")

    def advance(self, seconds):
        return self._mock._call("POST", "/__mock/clock", body={"advance": seconds})

    def set(self, unix_seconds):
        return self._mock._call("POST", "/__mock/clock", body={"set": unix_seconds})

    def freeze(self, frozen=True):
        return self._mock._call("POST", "/__mock/clock", body={"freeze": bool(frozen)})


class _Scenarios:
    def __init__(self, mock):
        self._mock = mock

    def list(self):
        return self._mock._call("GET", "/__mock/scenarios")

    def load(self, scenario, imp_key=None):
        """A scenario dict, or the path of a scenario file (sent as written:
        impmock checks it)."""
        if isinstance(scenario, (str, os.PathLike)):
            with open(scenario, "rb") as f:
                data = f.read()
        else:
            data = json.dumps(scenario).encode()
        return self._mock._call("POST", "/__mock/scenarios" + _query(imp_key=imp_key), data=data)

    def remove(self, name):
        return self._mock._call("DELETE", "/__mock/scenarios" + _query(name=name))

    def clear(self):
        return self._mock._call("DELETE", "/__mock/scenarios")

    def enable(self, name, enabled=True):
        """Switches a loaded scenario off (False) or on again, counters kept."""
        return self._mock._call("POST", "/__mock/scenarios/%s/enabled"
                                % urllib.parse.quote(name, safe=""),
                                body={"enabled": bool(enabled)})


class Impmock:
    """One impmock: use start() or attach(); the constructor only records
    where it is."""

    def __init__(self, url, admin_token=None, request_timeout=10.0):
        self.url = url.rstrip("/")
        self.port = urllib.parse.urlsplit(self.url).port
        self.admin_token = admin_token
        self.request_timeout = request_timeout
        self.exit_code = None  # once a started impmock ended: its exit status
        self.process = None  # the subprocess.Popen of a started binary
        self.log_file = None
        self._cleanup = None
        self.clock = _Clock(self)
        self.scenarios = _Scenarios(self)

    def __repr__(self):
        return "Impmock(%r)" % self.url

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _call(self, method, path, body=None, data=None):
        """One control-API call: the parsed JSON answer, or ImpmockError."""
        headers = {"Accept": "application/json"}
        if method not in ("GET", "HEAD"):
            headers["X-Impmock"] = "1"  # the control API's CSRF guard
        if self.admin_token:
            headers["X-Admin-Token"] = self.admin_token
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.request_timeout) as res:
                return _parse(res.read())
        except urllib.error.HTTPError as e:
            answer = _parse(e.read())
            why = answer
            if isinstance(answer, dict):
                why = answer.get("error") or answer.get("message") or json.dumps(answer)
            raise ImpmockError("%s %s: HTTP %d: %s" % (method, path, e.code, why),
                               status=e.code, body=answer) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise ImpmockError("%s %s: %s" % (method, path, reason)) from None

    def health(self):
        """{status, version, now}"""
        return self._call("GET", "/__mock/health")

    def reset(self, imp_key=None):
        """Everything back to the fixtures, or one tenant with imp_key."""
        return self._call("POST", "/__mock/reset" + _query(imp_key=imp_key))

    def requests(self, since=None, limit=None, method=None, path=None, status=None,
                 imp_key=None, before=None):
        """The journal's entries, oldest first. since: only entries with a
        larger seq (see cursor()); path is a prefix."""
        entries = self._call("GET", "/__mock/requests" + _query(
            since=since, limit=limit, method=method, path=path, status=status,
            imp_key=imp_key, before=before))
        if since is None:
            return entries
        # also filtered here, so an impmock without ?since= gives the same answer
        return [e for e in entries if e["seq"] > since]

    def cursor(self):
        """The newest journal entry's seq (0 when empty): requests(since=...)
        with it later shows only what came after."""
        entries = self._call("GET", "/__mock/requests?limit=1")
        return entries[-1]["seq"] if entries else 0

    def clear_requests(self):
        return self._call("DELETE", "/__mock/requests")

    def webhooks(self, limit=None, imp_key=None, status=None, id=None, merchant_uid=None):
        """Webhook delivery attempts, oldest first; status is the receiver's
        HTTP status, 0 for no answer."""
        return self._call("GET", "/__mock/webhooks" + _query(
            limit=limit, imp_key=imp_key, status=status, id=id, merchant_uid=merchant_uid))

    def resend_webhook(self, delivery_id):
        return self._call("POST", "/__mock/webhooks/%s/resend"
                          % urllib.parse.quote(str(delivery_id), safe=""))

    def trigger_webhook(self, imp_uid, status=None):
        """Sends the notice of an existing payment again, without a new charge."""
        body = {"imp_uid": imp_uid}
        if status is not None:
            body["status"] = status
        return self._call("POST", "/__mock/webhooks/trigger", body=body)

    def deposit(self, imp_uid, amount=None, imp_key=None, depositor_name=None):
        """The buyer pays into a virtual account (amount: default what is
        owed); returns the paid payment."""
        body = {}
        if amount is not None:
            body["amount"] = amount
        if depositor_name is not None:
            body["depositor_name"] = depositor_name
        return self._call("POST", "/__mock/vbanks/%s/deposit%s" % (
            urllib.parse.quote(imp_uid, safe=""), _query(imp_key=imp_key)), body=body)

    def export_state(self, imp_key=None):
        return self._call("GET", "/__mock/export" + _query(imp_key=imp_key))

    def import_state(self, state, imp_key=None):
        return self._call("POST", "/__mock/import" + _query(imp_key=imp_key), body=state)

    def routes(self):
        return self._call("GET", "/__mock/routes")

    def token(self, imp_key=DEFAULT_IMP_KEY, imp_secret=DEFAULT_IMP_SECRET):
        """An access token for the REST API (POST /users/getToken)."""
        req = urllib.request.Request(
            self.url + "/users/getToken", method="POST",
            data=json.dumps({"imp_key": imp_key, "imp_secret": imp_secret}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.request_timeout) as res:
                status, env = res.status, _parse(res.read())
        except urllib.error.HTTPError as e:
            status, env = e.code, _parse(e.read())
        except (urllib.error.URLError, OSError) as e:
            raise ImpmockError("POST /users/getToken: %s" % getattr(e, "reason", e)) from None
        response = env.get("response") if isinstance(env, dict) else None
        if not isinstance(response, dict) or env.get("code") != 0 or not response.get("access_token"):
            why = env.get("message") if isinstance(env, dict) else env
            raise ImpmockError("POST /users/getToken: HTTP %d: %s" % (status, why),
                               status=status, body=env)
        return response["access_token"]

    def stop(self):
        """Stops a started impmock and returns its exit status (negative:
        the signal); an attached one is left running (None)."""
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None
        return self.exit_code


def _parse(raw):
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def _wait_healthy(mock, timeout, alive=lambda: True):
    """Polls /__mock/health until it answers 200 or timeout seconds pass."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        if not alive():
            raise ImpmockError("impmock ended before it answered /__mock/health")
        try:
            req = urllib.request.Request(mock.url + "/__mock/health")
            left = max(0.05, min(2.0, end - time.monotonic()))
            with urllib.request.urlopen(req, timeout=left) as res:
                return _parse(res.read())
        except urllib.error.HTTPError as e:
            last = "HTTP %d" % e.code
        except (urllib.error.URLError, OSError) as e:
            last = str(getattr(e, "reason", e))
        time.sleep(0.05)
    raise ImpmockError("impmock at %s did not answer /__mock/health within %g s (%s)"
                       % (mock.url, timeout, last))


def attach(url, admin_token=None, timeout=10.0, request_timeout=10.0):
    """Uses an impmock that already runs at url; waits up to timeout seconds
    for its health check. admin_token defaults to $IMPMOCK_ADMIN_TOKEN."""
    if admin_token is None:
        admin_token = os.environ.get("IMPMOCK_ADMIN_TOKEN") or None
    mock = Impmock(url, admin_token=admin_token, request_timeout=request_timeout)
    _wait_healthy(mock, timeout)
    return mock


def start(binary=None, args=(), admin_token=None, env=None, cwd=None, log_file=None,
          timeout=10.0, stop_timeout=5.0, request_timeout=10.0):
    """Starts the impmock binary (default $IMPMOCK_BIN, else `impmock` on
    PATH) on a free loopback port (--port 0 --port-file) and waits, at most
    timeout seconds, for its port file and health check. Its output goes to
    log_file (default: a file in a temporary directory stop() removes)."""
    binary = binary or os.environ.get("IMPMOCK_BIN") or "impmock"
    run_env = dict(os.environ)
    run_env.update(env or {})
    if admin_token:
        run_env["IMPMOCK_ADMIN_TOKEN"] = admin_token  # not on the process list
    admin_token = admin_token or run_env.get("IMPMOCK_ADMIN_TOKEN") or None

    tmp = tempfile.mkdtemp(prefix="impmock-")
    port_file = os.path.join(tmp, "port")
    log_path = log_file or os.path.join(tmp, "impmock.log")

    def failed(why, proc=None):
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        out = _tail(log_path)
        shutil.rmtree(tmp, ignore_errors=True)
        return ImpmockError("%s: %s%s" % (binary, why, "\n" + out if out else ""))

    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([binary, "--port", "0", "--port-file", port_file, *args],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    env=run_env, cwd=cwd)
    except OSError as e:
        raise failed("cannot start: %s" % e) from None

    end = time.monotonic() + timeout
    port = 0
    while not port:
        if proc.poll() is not None:
            raise failed("exited during start-up (%s)" % proc.returncode)
        try:
            with open(port_file) as f:
                text = f.read().strip()
            port = int(text) if text.isdigit() else 0
        except OSError:
            pass
        if not port:
            if time.monotonic() > end:
                raise failed("wrote no port file within %g s" % timeout, proc)
            time.sleep(0.02)

    mock = Impmock("http://127.0.0.1:%d" % port, admin_token=admin_token,
                   request_timeout=request_timeout)
    mock.process = proc
    mock.log_file = log_file

    def cleanup():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        mock.exit_code = proc.returncode
        shutil.rmtree(tmp, ignore_errors=True)

    mock._cleanup = cleanup
    try:
        _wait_healthy(mock, max(1.0, end - time.monotonic()), lambda: proc.poll() is None)
    except ImpmockError as e:
        raise failed(str(e), proc) from None
    return mock
