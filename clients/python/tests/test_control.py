"""Every control-API method of the impmock fixture against a real impmock."""
import itertools
import os
import pathlib

import pytest

from helpers import Receiver, charge, rest, until
from impmock_pytest import ImpmockError

ROOT = pathlib.Path(__file__).resolve().parents[3]
T0 = 1704153600  # 2024-01-02 00:00 KST
_n = itertools.count(1)


def uid(what):
    return "py_%s_%d_%d" % (what, os.getpid(), next(_n))


@pytest.fixture(scope="module")
def hook():
    r = Receiver()
    yield r
    r.close()


def serves(mock, method, pattern):
    """Whether this impmock has the route (newer control-API routes: their
    tests skip on an impmock without them)."""
    return any(r["method"] == method and r["pattern"] == pattern for r in mock.routes())


def test_the_fixture_resets_before_each_test_part_1(impmock):
    impmock.clock.set(T0 + 5)
    impmock.scenarios.load({"name": "leftover", "description": "x",
                            "rules": [{"when": {"op": "lookup"}, "then": {"delay_ms": 1}}]})
    assert [s["name"] for s in impmock.scenarios.list()] == ["leftover"]


def test_the_fixture_resets_before_each_test_part_2(impmock):
    assert impmock.scenarios.list() == [], "the scenario of the test before is gone"
    assert impmock.requests() == [], "and the journal"


def test_clock(impmock):
    impmock.clock.set(T0)
    assert impmock.clock.freeze() == {"now": T0, "frozen": True}
    assert impmock.clock.get() == {"now": T0, "frozen": True}
    assert impmock.clock.advance(60) == {"now": T0 + 60, "frozen": True}
    assert impmock.clock.advance(-60)["now"] == T0
    assert impmock.clock.freeze(False)["frozen"] is False
    with pytest.raises(ImpmockError) as e:
        impmock.clock.advance("soon")
    assert e.value.status == 400
    assert "advance" in str(e.value)


def test_token(impmock):
    t = impmock.token()
    assert len(t) == 40
    with pytest.raises(ImpmockError) as e:
        impmock.token(imp_key="imp_apikey", imp_secret="wrong")
    assert e.value.status == 401


def test_requests_since_and_filters(impmock):
    token = impmock.token()
    since = impmock.cursor()
    assert since > 0, "getToken is in the journal"
    mu = uid("order")
    charge(impmock, token, uid("cust"), mu)
    rest(impmock, token, "GET", "/payments/find/" + mu)

    mine = impmock.requests(since=since)
    assert [e["method"] for e in mine] == ["POST", "POST", "GET"]
    assert [e["seq"] for e in mine] == sorted(e["seq"] for e in mine)
    assert all(e["seq"] > since for e in mine)
    assert mine[1]["request_body"]["merchant_uid"] == mu
    assert mine[1]["response_body"]["response"]["status"] == "paid"
    assert "4242-4242-4242-4242" not in str(mine[0]["request_body"])

    assert [e["path"] for e in impmock.requests(since=since, method="GET")] == \
        ["/payments/find/" + mu]
    assert len(impmock.requests(since=since, path="/subscribe/")) == 2
    assert len(impmock.requests(since=since, status=200)) == 3
    assert impmock.requests(limit=1)[0]["seq"] == mine[-1]["seq"] == impmock.cursor()
    assert impmock.requests(since=mine[-1]["seq"]) == []


def test_requests_since_on_the_server(impmock):
    if not serves(impmock, "DELETE", "/__mock/requests"):
        pytest.skip("this impmock has no ?since= (nor DELETE /__mock/requests) yet")
    since = impmock.cursor()
    impmock.token()
    impmock.token()
    raw = impmock._call("GET", "/__mock/requests?since=%d" % since)
    assert len(raw) == 2 and all(e["seq"] > since for e in raw)


def test_clear_requests(impmock):
    if not serves(impmock, "DELETE", "/__mock/requests"):
        pytest.skip("this impmock has no DELETE /__mock/requests yet")
    impmock.token()
    assert impmock.requests()
    impmock.clear_requests()
    assert impmock.requests() == []


def test_reset(impmock):
    token = impmock.token()
    paid = charge(impmock, token, uid("cust"), uid("order"))
    assert impmock.reset(imp_key="imp_apikey") == {"reset": True, "scope": "tenant"}
    with pytest.raises(AssertionError, match="-1"):
        rest(impmock, impmock.token(), "GET", "/payments/" + paid["imp_uid"])
    assert impmock.reset() == {"reset": True, "scope": "all"}
    with pytest.raises(ImpmockError) as e:
        impmock.reset(imp_key="nobody")
    assert e.value.status == 404


def test_scenarios(impmock, tmp_path):
    decline = {"name": "py-decline", "description": "every charge declined",
               "rules": [{"when": {"op": "charge"}, "then": {"decline": "[F302]잔액부족"}}]}
    assert [s["name"] for s in impmock.scenarios.load(decline, imp_key="imp_apikey")] == \
        ["py-decline"]
    failed = charge(impmock, impmock.token(), uid("cust"), uid("order"))
    assert (failed["status"], failed["fail_reason"]) == ("failed", "[F302]잔액부족")

    off = impmock.scenarios.enable("py-decline", False)
    assert [s["enabled"] for s in off if s["name"] == "py-decline"] == [False]
    assert charge(impmock, impmock.token(), uid("cust"), uid("order"))["status"] == "paid"
    impmock.scenarios.enable("py-decline")
    assert charge(impmock, impmock.token(), uid("cust"), uid("order"))["status"] == "failed"
    with pytest.raises(ImpmockError) as e:
        impmock.scenarios.enable("nobody", False)
    assert e.value.status == 404

    impmock.scenarios.load(ROOT / "scenarios" / "pg-timeout.json")
    assert sorted(s["name"] for s in impmock.scenarios.list()) == ["pg-timeout", "py-decline"]
    assert [s["name"] for s in impmock.scenarios.remove("py-decline")] == ["pg-timeout"]
    with pytest.raises(ImpmockError) as e:
        impmock.scenarios.remove("py-decline")
    assert e.value.status == 404

    bad = tmp_path / "bad.json"
    bad.write_text('{"name":"bad","description":"x","rules":[{"when":{},"then":{"delay_ms":-1}}]}')
    with pytest.raises(ImpmockError, match="delay_ms") as e:
        impmock.scenarios.load(str(bad))
    assert e.value.status == 400
    with pytest.raises(FileNotFoundError):
        impmock.scenarios.load(tmp_path / "missing.json")
    assert impmock.scenarios.clear() == []


def test_webhooks_and_resend(impmock, hook):
    mu = uid("order")
    paid = charge(impmock, impmock.token(), uid("cust"), mu, notice_url=hook.url)
    first, = until(lambda: [a for a in impmock.webhooks(merchant_uid=mu)
                            if a["status"] is not None], "the paid notice")
    assert first["kind"] == "delivery"
    assert first["status"] == 200
    assert first["body"] == {"imp_uid": paid["imp_uid"], "merchant_uid": mu, "status": "paid"}
    assert impmock.webhooks(merchant_uid=uid("none")) == []
    assert len(impmock.webhooks(merchant_uid=mu, status=200, limit=5)) == 1

    assert impmock.resend_webhook(first["id"]) == {"resent": True, "id": first["id"]}
    def answered_twice():
        attempts = impmock.webhooks(merchant_uid=mu)
        done = len(attempts) == 2 and all(a["status"] is not None for a in attempts)
        return attempts if done else None

    both = until(answered_twice, "the resent notice")
    assert both[1]["kind"] == "resend"
    assert len([b for b in hook.bodies if mu in b]) == 2
    with pytest.raises(ImpmockError) as e:
        impmock.resend_webhook(999999)
    assert e.value.status == 404


def test_trigger_webhook(impmock, hook):
    if not serves(impmock, "POST", "/__mock/webhooks/trigger"):
        pytest.skip("this impmock has no POST /__mock/webhooks/trigger yet")
    mu = uid("order")
    paid = charge(impmock, impmock.token(), uid("cust"), mu, notice_url=hook.url)
    until(lambda: any(mu in b for b in hook.bodies), "the paid notice")
    impmock.trigger_webhook(paid["imp_uid"])
    until(lambda: len([b for b in hook.bodies if mu in b]) == 2, "the triggered notice")
    impmock.trigger_webhook(paid["imp_uid"], status="cancelled")
    until(lambda: any(mu in b and "cancelled" in b for b in hook.bodies), "a cancelled notice")
    with pytest.raises(ImpmockError) as e:
        impmock.trigger_webhook("imp_000000000000")
    assert e.value.status == 404


def test_deposit(impmock):
    token = impmock.token()
    now = impmock.clock.get()["now"]
    vb = rest(impmock, token, "POST", "/vbanks", {
        "merchant_uid": uid("vbank"), "amount": 39000, "vbank_code": "088",
        "vbank_due": now + 86400, "vbank_holder": "임포트상점", "name": "주문",
        "buyer_name": "홍길동"})
    with pytest.raises(ImpmockError) as e:
        impmock.deposit(vb["imp_uid"], amount=100)
    assert (e.value.status, e.value.code) == (409, "VBANK_DEPOSIT_AMOUNT")
    paid = impmock.deposit(vb["imp_uid"], imp_key="imp_apikey")
    assert (paid["status"], paid["amount"]) == ("paid", 39000)
    with pytest.raises(ImpmockError) as e:
        impmock.deposit(vb["imp_uid"])
    assert e.value.code == "VBANK_NOT_READY"
    with pytest.raises(ImpmockError) as e:
        impmock.deposit("imp_000000000000")
    assert e.value.status == 404


def test_export_and_import_state(impmock):
    mu = uid("order")
    charge(impmock, impmock.token(), uid("cust"), mu)
    state = impmock.export_state(imp_key="imp_apikey")
    assert mu in str(state)
    impmock.reset()
    assert impmock.import_state(state, imp_key="imp_apikey") == {"imported": True}
    assert rest(impmock, impmock.token(), "GET", "/payments/find/" + mu)["status"] == "paid"


def test_routes_and_health(impmock):
    assert any(r["pattern"] == "/__mock/health" and r["auth"] == "none"
               for r in impmock.routes())
    h = impmock.health()
    assert h["status"] == "ok"
    assert h["now"] == impmock.clock.get()["now"]
