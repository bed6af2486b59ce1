/*
 * window.js - impmock's Kakao Pay window. Reads its window id from the
 * address and its key from the fragment (kept for a reload in this tab,
 * then taken out of the address bar), asks impmock what to show
 * (/checkout/session/{id}), and sends what the buyer does (approve,
 * cancel) or what a scenario does (auto), each with the key.
 * The result goes to the merchant page: on a PC page by postMessage to the
 * SDK's overlay (only to the origin that opened the window), on a mobile
 * page by sending the browser to /return, which redirects to
 * m_redirect_url.
 */
(function () {
    'use strict';

    var id = decodeURIComponent(location.pathname.split('/').pop() || '');
    var api = '/checkout/session/' + encodeURIComponent(id);
    var key = windowKey();
    var win = null;  /* the session as last read */
    var busy = false;

    var $ = function (sel) { return document.getElementById(sel); };

    function windowKey() {
        var stored = 'impmock-window-key:' + id;
        var k = new URLSearchParams(location.hash.slice(1)).get('window_key');
        try {
            if (k) {
                sessionStorage.setItem(stored, k);
            } else {
                k = sessionStorage.getItem(stored);
            }
        } catch (e) { /* storage off: a reload then cannot act, the first load still can */ }
        if (location.hash) {
            history.replaceState(null, '', location.pathname + location.search);
        }
        return k || '';
    }

    function won(n) {
        var s = String(Math.abs(Math.round(n)));
        return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '원';
    }

    function show(section) {
        ['loading', 'form', 'result'].forEach(function (k) { $(k).hidden = k !== section; });
    }

    function call(method, path, body) {
        var headers = { 'X-Impmock-Window': key };
        if (body) {
            headers['Content-Type'] = 'application/json';
        }
        return fetch(api + path, {
            method: method,
            headers: headers,
            body: body ? JSON.stringify(body) : undefined
        }).then(function (res) {
            return res.json().catch(function () { return null; }).then(function (j) {
                if (!j || j.code !== 0) {
                    var e = new Error(j && j.message ? j.message : 'HTTP ' + res.status);
                    e.code = j ? j.code : null;
                    throw e;
                }
                return j.response;
            });
        });
    }

    function cardLabel(c) {
        var tail = c.number.slice(-4);
        return c.name + ' (' + tail + ') ' + (c.type === 'check' ? '체크' : '신용');
    }

    function cardHint(c) {
        if (!c) {
            return '';
        }
        if (c.outcome === 'approve') {
            return '테스트 카드 · 승인됩니다';
        }
        if (win.issue_key && win.amount === 0 && c.outcome === 'decline') {
            /* a 0-won registration only checks the card: the decline comes with a charge */
            return '테스트 카드 · 등록은 되고, 이후 청구가 거절됩니다: ' + (c.fail_reason || '');
        }
        if (c.outcome === 'approve_then_decline') {
            return '테스트 카드 · 처음 몇 번 승인 후 거절: ' + (c.fail_reason || '');
        }
        return '테스트 카드 · 거절됩니다: ' + (c.fail_reason || '');
    }

    function fillCards() {
        var sel = $('card');
        sel.textContent = '';
        win.cards.forEach(function (c) {
            var o = document.createElement('option');
            o.value = String(c.index);
            o.textContent = cardLabel(c);
            sel.appendChild(o);
        });
        if (!win.cards.length) {
            var o = document.createElement('option');
            o.value = '-1';
            o.textContent = 'BC카드 (5432) 신용';
            sel.appendChild(o);
        }
        var hint = function () {
            var c = win.cards[Number(sel.value)];
            $('card-hint').textContent = cardHint(c);
            $('card-hint').className = 'hint' + (c && c.outcome !== 'approve' ? ' warn' : '');
        };
        sel.addEventListener('change', hint);
        hint();
        var q = $('quota');
        q.textContent = '';
        [0].concat(win.card_quotas).forEach(function (m) {
            var o = document.createElement('option');
            o.value = String(m);
            o.textContent = m === 0 ? '일시불' : m + '개월';
            q.appendChild(o);
        });
        $('quota-field').hidden = win.card_quotas.length === 0;
    }

    function picked() {
        var r = document.querySelector('input[name=method]:checked');
        return r ? r.value : null;
    }

    function syncMethod() {
        $('card-pick').hidden = picked() !== 'card';
    }

    function render() {
        document.title = '카카오페이 결제 - ' + (win.merchant_name || 'impmock');
        $('merchant').textContent = win.merchant_name || '';
        $('order-name').textContent = win.name || '주문 ' + win.merchant_uid;
        $('amount').textContent = won(win.amount);
        $('badge').hidden = !win.issue_key;
        if (win.issue_key) {
            $('amount-note').hidden = false;
            $('amount-note').textContent = win.amount === 0
                ? '결제 없이 정기결제 수단만 등록합니다'
                : '결제와 함께 정기결제 수단을 등록합니다';
            $('approve').textContent = win.amount === 0 ? '등록하기' : '결제하기';
        }
        if (win.custom_message) {
            $('custom-message').hidden = false;
            $('custom-message').textContent = win.custom_message;
        }
        var allowCard = win.methods.indexOf('card') >= 0;
        var allowMoney = win.methods.indexOf('money') >= 0;
        [['method-card', allowCard], ['method-money', allowMoney]].forEach(function (m) {
            var label = $(m[0]);
            var input = label.querySelector('input');
            input.disabled = !m[1];
            label.classList.toggle('disabled', !m[1]);
            label.hidden = !m[1];
        });
        document.querySelector('input[value=' + (allowCard ? 'card' : 'money') + ']').checked = true;
        fillCards();
        syncMethod();
        show('form');
    }

    function setBusy(b) {
        busy = b;
        $('approve').disabled = b;
        $('cancel').disabled = b;
    }

    /* The outcome goes to the merchant page; the callback or redirect follows. */
    function deliver(rsp) {
        var ok = rsp && rsp.success;
        $('result-icon').className = 'result-icon' + (ok ? '' : ' fail');
        $('result-icon').textContent = ok ? '\u2713' : '!';
        $('result-title').textContent = ok
            ? (win.issue_key && win.amount === 0 ? '등록이 완료되었습니다' : '결제가 완료되었습니다')
            : (rsp && rsp.error_code === 'USER_CANCEL' ? '결제를 취소했습니다' : '결제에 실패했습니다');
        $('result-text').textContent = ok ? won(rsp.paid_amount) : (rsp && rsp.error_msg) || '';
        show('result');
        var pause = ok ? 500 : 200; /* long enough to be seen, short enough not to wait on */
        setTimeout(function () {
            if (win.flow === 'redirect') {
                location.replace(api + '/return?window_key=' + encodeURIComponent(key));
                return;
            }
            if (window.parent !== window) {
                window.parent.postMessage({ impmock: 1, type: 'result', id: win.id, rsp: rsp },
                    win.origin || '*');
            }
        }, pause);
    }

    function fail(e) {
        setBusy(false);
        $('error').hidden = false;
        $('error').textContent = e.message;
        if (e.code === 1) {
            load(); /* done elsewhere: show what happened */
        }
    }

    function act(path, body) {
        if (busy) {
            return;
        }
        setBusy(true);
        $('error').hidden = true;
        call('POST', path, body).then(function (out) {
            if (out.state === 'done') {
                deliver(out.rsp);
            } else {
                setBusy(false);
            }
        }).catch(fail);
    }

    function startAuto() {
        var a = win.auto;
        $('auto').hidden = false;
        $('methods').disabled = true;
        $('actions').hidden = true;
        if (a.action === 'hang') {
            $('auto-text').textContent = '카카오톡에서 결제 요청을 확인해주세요';
            return; /* the scenario says this window never answers */
        }
        var what = { approve_card: '카드로 자동 승인', approve_money: '카카오머니로 자동 승인',
            cancel: '자동 취소', fail: '결제 실패 재현' }[a.action] || a.action;
        $('auto-text').textContent = '시나리오 ' + a.scenario + ': ' + what + ' 중';
        busy = true;
        call('POST', '/auto').then(function (out) {
            if (out.state === 'done') {
                deliver(out.rsp);
            }
        }).catch(fail);
    }

    function load() {
        call('GET', '').then(function (w) {
            win = w;
            if (w.state === 'done' && w.rsp) {
                render();
                deliver(w.rsp);
                return;
            }
            render();
            if (w.auto && w.state === 'open') {
                startAuto();
            }
        }).catch(function (e) {
            $('result-icon').className = 'result-icon fail';
            $('result-icon').textContent = '!';
            $('result-title').textContent = '결제창을 열 수 없습니다';
            $('result-text').textContent = e.message;
            show('result');
        });
    }

    document.querySelectorAll('input[name=method]').forEach(function (r) {
        r.addEventListener('change', syncMethod);
    });
    $('form').addEventListener('submit', function (ev) {
        ev.preventDefault();
        var m = picked();
        if (!m) {
            return;
        }
        act('/approve', m === 'money' ? { method: 'money' }
            : { method: 'card', card: Number($('card').value), quota: Number($('quota').value) });
    });
    $('cancel').addEventListener('click', function () { act('/cancel'); });
    $('close').addEventListener('click', function () {
        /* also on a hanging window: a person may still give up */
        if (win && win.state === 'open' && !busy) {
            act('/cancel');
        }
    });
    load();
})();
