/*
 * iamport.js - impmock's stand-in for the i'mport (PortOne V1) JS SDK.
 * A merchant page loads it from impmock instead of the CDN; IMP.init,
 * IMP.agency and IMP.request_pay keep their real names and parameters, and
 * pg "kakaopay" / "kakaopay.{CID}" opens impmock's emulated Kakao Pay window:
 * an overlay iframe on a PC page, the whole page on a mobile one (then the
 * browser returns to m_redirect_url). The payment is real in impmock: look
 * it up afterwards with GET /payments/{imp_uid}.
 * Everything impmock needs is found from this script's own src, so the page
 * may live on any origin. Each window has a key of its own that only this
 * script and the window learn (the window reads it from its URL's
 * fragment, which no request carries); impmock takes no window call
 * without it.
 */
(function (global) {
    'use strict';

    if (global.IMP && global.IMP.__impmock) {
        return; /* loaded twice: keep the first, its state included */
    }

    /* ---- where impmock is ---- */

    function findScript() {
        if (document.currentScript && document.currentScript.src) {
            return document.currentScript;
        }
        var all = document.getElementsByTagName('script');
        for (var i = all.length - 1; i >= 0; i--) {
            if (/\/v1\/iamport\.js(\?|#|$)/.test(all[i].src)) {
                return all[i];
            }
        }
        return null;
    }

    var script = findScript();
    var scriptUrl = new URL(script ? script.src : '/v1/iamport.js', document.baseURI);
    /* base keeps any path prefix a proxy adds in front of /v1/iamport.js */
    var base = scriptUrl.origin + scriptUrl.pathname.replace(/\/v1\/iamport\.js$/, '');
    var mockOrigin = scriptUrl.origin;

    /* ---- state ---- */

    var merchantCode = null; /* IMP.init */
    var tierCode = null;     /* IMP.agency */
    var current = null;      /* the open PC window: {id, key, overlay, iframe, finish} */

    var RSP_FIELDS = ['success', 'error_code', 'error_msg', 'imp_uid', 'merchant_uid',
        'pay_method', 'paid_amount', 'status', 'name', 'currency', 'pg_provider', 'pg_type',
        'pg_tid', 'apply_num', 'buyer_name', 'buyer_email', 'buyer_tel', 'buyer_addr',
        'buyer_postcode', 'custom_data', 'paid_at', 'receipt_url', 'card_name', 'card_number',
        'card_quota', 'bank_name', 'vbank_num', 'vbank_name', 'vbank_holder', 'vbank_date'];

    /* A failure that happened before any payment existed: imp_uid is null. */
    function refusal(params, code, msg) {
        var rsp = {};
        for (var i = 0; i < RSP_FIELDS.length; i++) {
            rsp[RSP_FIELDS[i]] = null;
        }
        rsp.success = false;
        rsp.error_code = code;
        rsp.error_msg = msg;
        rsp.merchant_uid = params && typeof params.merchant_uid === 'string' ? params.merchant_uid : null;
        rsp.pay_method = params && typeof params.pay_method === 'string' ? params.pay_method : null;
        rsp.paid_amount = 0;
        rsp.paid_at = 0;
        rsp.card_quota = 0;
        rsp.vbank_date = 0;
        rsp.pg_type = 'payment';
        return rsp;
    }

    /* The real SDK picks the redirect flow from the user agent (reference §9.4). */
    function isMobile() {
        return /Android|iPhone|iPad|iPod|Mobile|Windows Phone|IEMobile|BlackBerry|Opera Mini/i
            .test(navigator.userAgent || '');
    }

    function redirectUrl(target, q) {
        var u = new URL(target, document.baseURI);
        Object.keys(q).forEach(function (k) {
            u.searchParams.append(k, q[k] == null ? '' : String(q[k]));
        });
        return u.toString();
    }

    /* A form body, not a header: a simple request needs no preflight, which
     * a page that is leaving might not wait for. */
    function tellMock(id, key, what) {
        try {
            fetch(base + '/checkout/session/' + encodeURIComponent(id) + '/' + what, {
                method: 'POST', mode: 'cors', keepalive: true, credentials: 'omit',
                body: new URLSearchParams({ window_key: key })
            }).catch(function () { /* the page may be leaving: nothing to do */ });
        } catch (e) { /* fetch missing: the webhook just is not held back */ }
    }

    /* ---- the PC overlay ---- */

    function closeOverlay() {
        if (current && current.overlay.parentNode) {
            current.overlay.parentNode.removeChild(current.overlay);
        }
        current = null;
    }

    function openOverlay(id, key, url, finish) {
        if (current) {
            console.warn('[impmock] IMP.request_pay: a new payment replaces the window still open ' +
                '(its callback will not be called)');
            closeOverlay();
        }
        var overlay = document.createElement('div');
        overlay.setAttribute('data-impmock-overlay', '');
        overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;display:flex;' +
            'align-items:center;justify-content:center;background:rgba(0,0,0,.55);margin:0;padding:0';
        var iframe = document.createElement('iframe');
        iframe.src = url;
        iframe.title = '카카오페이 결제창';
        iframe.name = 'impmock-kakaopay';
        iframe.setAttribute('allow', 'payment');
        iframe.style.cssText = 'width:420px;max-width:calc(100vw - 24px);height:660px;' +
            'max-height:calc(100vh - 24px);border:0;border-radius:16px;background:#fff;' +
            'box-shadow:0 12px 48px rgba(0,0,0,.35)';
        overlay.appendChild(iframe);
        (document.body || document.documentElement).appendChild(overlay);
        current = { id: id, key: key, overlay: overlay, iframe: iframe, finish: finish };
    }

    global.addEventListener('message', function (ev) {
        if (!current || ev.origin !== mockOrigin || ev.source !== current.iframe.contentWindow) {
            return;
        }
        var d = ev.data;
        if (!d || d.impmock !== 1 || d.id !== current.id || d.type !== 'result' || !d.rsp) {
            return;
        }
        var done = current;
        closeOverlay();
        done.finish(d.rsp);
        tellMock(done.id, done.key, 'done'); /* after the callback: releases webhooks held until now */
    });

    /* ---- IMP ---- */

    function init(code) {
        if (typeof code !== 'string' || !code) {
            console.error('[impmock] IMP.init: 가맹점 식별코드(예: imp00000000)를 문자열로 전달해주세요.');
            return;
        }
        merchantCode = code;
        tierCode = null;
    }

    function agency(code, tier) {
        init(code);
        tierCode = typeof tier === 'string' && tier ? tier : null;
    }

    /* Calls back, or resolves the promise returned when no callback is given. */
    function deliverer(callback) {
        var resolve = null;
        var promise = typeof callback === 'function' ? null : new Promise(function (r) { resolve = r; });
        return {
            promise: promise,
            finish: function (rsp) {
                if (resolve) {
                    resolve(rsp);
                    return;
                }
                try {
                    callback(rsp);
                } catch (e) {
                    setTimeout(function () { throw e; }); /* the page's error, reported as its own */
                }
            }
        };
    }

    function request_pay(params, callback) {
        var out = deliverer(callback);
        var p = params && typeof params === 'object' ? params : {};
        var redirect = isMobile() && typeof p.m_redirect_url === 'string' && p.m_redirect_url !== '' &&
            p.kakaopayMobileAsPC !== true;

        function refuse(code, msg) {
            var rsp = refusal(p, code, msg);
            if (redirect && typeof callback !== 'function') {
                /* no callback on a mobile page: the real SDK returns to m_redirect_url too */
                global.location.href = redirectUrl(p.m_redirect_url, {
                    imp_uid: '', merchant_uid: rsp.merchant_uid || '', imp_success: 'false',
                    error_code: code, error_msg: msg
                });
                return;
            }
            out.finish(rsp);
        }

        if (!params || typeof params !== 'object') {
            setTimeout(function () {
                refuse('BAD_PARAM', 'IMP.request_pay의 첫 번째 인자는 결제 파라미터 객체여야 합니다.');
            });
            return out.promise || undefined;
        }
        if (!merchantCode) {
            setTimeout(function () {
                refuse('NOT_INITIALIZED', 'IMP.init()으로 가맹점 식별코드를 먼저 지정해주세요.');
            });
            return out.promise || undefined;
        }
        var body = {};
        Object.keys(p).forEach(function (k) { body[k] = p[k]; });
        body.user_code = merchantCode;
        body.tier_code = tierCode;
        body.impmock_flow = redirect ? 'redirect' : 'pc';
        body.impmock_origin = global.location.origin;
        if (redirect) {
            body.m_redirect_url = new URL(p.m_redirect_url, document.baseURI).toString();
        }
        var text;
        try {
            text = JSON.stringify(body);
        } catch (e) {
            setTimeout(function () {
                refuse('BAD_PARAM', '결제 파라미터를 JSON으로 바꿀 수 없습니다: ' + e.message);
            });
            return out.promise || undefined;
        }

        fetch(base + '/checkout/open', {
            method: 'POST', mode: 'cors', credentials: 'omit',
            headers: { 'Content-Type': 'application/json' }, body: text
        }).then(function (res) {
            return res.text().then(function (t) {
                var json = null;
                try { json = JSON.parse(t); } catch (e) { /* not the envelope: a proxy or a scenario */ }
                return { res: res, json: json };
            });
        }).then(function (r) {
            var j = r.json;
            if (!j || j.code !== 0 || !j.response) {
                refuse(r.res.headers.get('X-Impmock-Error') || 'HTTP_' + r.res.status,
                    j && typeof j.message === 'string' ? j.message
                        : 'impmock이 결제창을 열지 못했습니다 (HTTP ' + r.res.status + ').');
                return;
            }
            var w = j.response;
            /* the key travels in the fragment: never sent, logged or in a Referer */
            var url = base + w.window_url + '#window_key=' + encodeURIComponent(w.window_key);
            if (redirect) {
                global.location.href = url; /* the whole page goes to the window */
                return;
            }
            openOverlay(w.id, w.window_key, url, out.finish);
        }).catch(function (e) {
            refuse('NETWORK_ERROR', 'impmock(' + base + ')에 연결하지 못했습니다: ' + (e && e.message));
        });
        return out.promise || undefined;
    }

    /* What impmock does not emulate answers with a clear error, never silently. */
    function unsupported(name, what) {
        return function (params, callback) {
            var msg = 'impmock은 ' + what + '(IMP.' + name + ')을 지원하지 않습니다. ' +
                '결제(IMP.request_pay, pg: "kakaopay")만 흉내 냅니다.';
            console.error('[impmock] ' + msg);
            var rsp = refusal(params, 'NOT_SUPPORTED', msg);
            if (typeof callback === 'function') {
                setTimeout(function () { callback(rsp); });
                return undefined;
            }
            return Promise.reject(new Error(msg));
        };
    }

    global.IMP = {
        __impmock: true,
        version: 'impmock',
        init: init,
        agency: agency,
        request_pay: request_pay,
        certification: unsupported('certification', '본인인증'),
        naver_zzim: unsupported('naver_zzim', '네이버페이 찜하기'),
        loadUI: unsupported('loadUI', '결제 UI 불러오기'),
        updateLoadUIRequest: unsupported('updateLoadUIRequest', '결제 UI 갱신')
    };
})(window);
