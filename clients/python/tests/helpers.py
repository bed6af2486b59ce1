"""What the tests share: REST calls that make payments to look at, a
webhook receiver on loopback, a bounded wait."""
import http.server
import json
import threading
import time
import urllib.error
import urllib.request


def rest(mock, token, method, path, body=None):
    """A REST call with a token: the envelope's response, or AssertionError."""
    req = urllib.request.Request(
        mock.url + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            env = json.load(res)
    except urllib.error.HTTPError as e:
        env = json.load(e)
    assert env["code"] == 0, "%s %s: %s" % (method, path, env)
    return env["response"]


def charge(mock, token, customer_uid, merchant_uid, notice_url=None, amount=9900):
    """A billing key on the card that always approves, then one charge."""
    rest(mock, token, "POST", "/subscribe/customers/" + customer_uid,
         {"card_number": "4242-4242-4242-4242", "expiry": "2030-12", "birth": "900101",
          "pwd_2digit": "00"})
    body = {"customer_uid": customer_uid, "merchant_uid": merchant_uid, "amount": amount,
            "name": "plan"}
    if notice_url:
        body["notice_url"] = notice_url
    return rest(mock, token, "POST", "/subscribe/payments/again", body)


class Receiver:
    """Records the body of every POST it gets; answers 200."""

    def __init__(self):
        self.bodies = []
        bodies = self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                bodies.append(self.rfile.read(n).decode())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def until(fn, what, timeout=5.0):
    """Polls fn until it returns something truthy; fails after timeout s."""
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out after %g s waiting for %s" % (timeout, what))
        time.sleep(0.025)
