// dashboard.js - impmock's sandbox dashboard. Everything it shows comes from
// the control API on this page's own origin (/__mock/...), with the admin
// token kept for the tab when the server asks for one; every call that
// changes state sends JSON. No framework and no network beyond impmock: the
// DOM is built with createElement and textContent only (never innerHTML), so
// whatever a payment or request holds is shown as text.
'use strict';

(() => {
  // ---- labels ----------------------------------------------------------------

  const LABELS = {
    ko: {
      dashboard: '대시보드', tenant: '가맹점', clock: '시각', frozen: '정지됨', live: '실시간',
      signOut: '로그아웃', loginTitle: '관리자 토큰', signIn: '들어가기',
      loginHelp: '이 impmock은 --admin-token으로 시작되었습니다. 토큰은 이 탭에만 보관됩니다.',
      adminToken: '관리자 토큰', wrongToken: '토큰이 맞지 않습니다.',
      resetTenant: '가맹점 초기화', confirmReset: '한 번 더 누르면 초기화',
      resetDone: '가맹점을 픽스처 상태로 되돌렸습니다.',
      clockTitle: '시계', clockHelp: '모든 가맹점이 함께 쓰는 impmock의 시계 (KST)',
      advanceBy: '앞으로', unit: '단위', seconds: '초', minutes: '분', hours: '시간', days: '일',
      months: '30일', advance: '시계 진행', setTo: '지정 시각 (KST)', set: '지정',
      freeze: '시계 정지', unfreeze: '시계 재개',
      payments: '결제', billingKeys: '빌링키', schedules: '예약결제', webhooks: '웹훅',
      requests: '요청 기록', scenarios: '시나리오',
      status: '상태', all: '전체', any: '전체', search: '검색', clear: '지우기',
      method: '메소드', pathPrefix: '경로 (앞부분)', httpStatus: 'HTTP 상태',
      refusedOnly: '거절된 요청만', close: '닫기',
      name: '주문명', amount: '금액', payMethod: '결제수단', time: '시각', started: '요청 시각',
      paidAt: '결제 시각', failedAt: '실패 시각', cancelledAt: '취소 시각',
      card: '카드', customerName: '고객명', inserted: '등록', updated: '수정',
      pg: 'PG', scheduleAt: '예정 시각', executedAt: '실행 시각', revokedAt: '취소 시각',
      paymentStatus: '결제 상태', failReason: '실패 사유', event: '이벤트', url: 'URL',
      latency: '응답 시간', attempt: '시도', body: '본문', resend: '다시 보내기', resent: '다시 보냈습니다.',
      path: '경로', code: 'code', error: '오류', request: '요청', response: '응답',
      enabled: '켜짐', disabled: '꺼짐', allTenants: '모든 가맹점', source: '출처',
      when: '조건', then: '동작', hits: '일치', fired: '발동', rule: '규칙',
      noPayments: '결제가 없습니다.', noKeys: '빌링키가 없습니다.', noSchedules: '예약결제가 없습니다.',
      noWebhooks: '웹훅 전송 기록이 없습니다.', noRequests: '요청 기록이 없습니다.',
      noScenarios: '불러온 시나리오가 없습니다.',
      total: '총 {n}건', prev: '이전', next: '다음', page: '{p} / {last} 쪽',
      paymentOf: '결제', cancelHistory: '취소 내역', noCancels: '취소 내역이 없습니다.',
      webhooksOf: '이 결제가 보낸 웹훅', rawJson: '원본 JSON',
      deposit: '가상계좌 입금', deposited: '입금 처리했습니다.',
      viewPayments: '결제 보기', viewSchedules: '예약 보기',
      now: '지금', legendScheduled: '대기', legendPaid: '실행 (결제됨)', legendFailed: '실행 (실패)',
      legendRevoked: '취소됨', noAnswer: '응답 없음', imp_uid: 'imp_uid',
      counts: '결제 {payments} · 빌링키 {billing_keys} · 예약 {schedules} · 사전등록 {prepares}',
      failed: '요청 실패', merchantCode: '가맹점 식별코드', webhookUrl: '웹훅 URL',
      receipt: '영수증', reason: '사유', customerUid: 'customer_uid', usage: '용도',
      channel: '채널', buyer: '구매자', vbank: '가상계좌', kind: '종류',
      clockMoved: '시계를 옮겼습니다.', scenarioOn: '시나리오를 켰습니다.', scenarioOff: '시나리오를 껐습니다.',
      more: '자세히', offline: 'impmock에 연결할 수 없습니다.',
    },
    en: {
      dashboard: 'Dashboard', tenant: 'Tenant', clock: 'Clock', frozen: 'frozen', live: 'Live',
      signOut: 'Sign out', loginTitle: 'Admin token', signIn: 'Sign in',
      loginHelp: 'This impmock was started with --admin-token. The token is kept for this tab only.',
      adminToken: 'Admin token', wrongToken: 'That token is not the one impmock was given.',
      resetTenant: 'Reset tenant', confirmReset: 'Click again to reset',
      resetDone: 'The tenant is back to its fixtures.',
      clockTitle: 'Clock', clockHelp: "impmock's clock, shared by every tenant (shown in KST)",
      advanceBy: 'Advance by', unit: 'Unit', seconds: 'seconds', minutes: 'minutes', hours: 'hours',
      days: 'days', months: '30 days', advance: 'Advance', setTo: 'Set to (KST)', set: 'Set',
      freeze: 'Freeze', unfreeze: 'Unfreeze',
      payments: 'Payments', billingKeys: 'Billing keys', schedules: 'Schedules', webhooks: 'Webhooks',
      requests: 'Requests', scenarios: 'Scenarios',
      status: 'Status', all: 'all', any: 'any', search: 'Search', clear: 'Clear',
      method: 'Method', pathPrefix: 'Path prefix', httpStatus: 'HTTP status',
      refusedOnly: 'refusals only', close: 'Close',
      name: 'Name', amount: 'Amount', payMethod: 'Method', time: 'Time', started: 'Requested',
      paidAt: 'Paid', failedAt: 'Failed', cancelledAt: 'Cancelled',
      card: 'Card', customerName: 'Customer', inserted: 'Issued', updated: 'Updated',
      pg: 'PG', scheduleAt: 'Due', executedAt: 'Executed', revokedAt: 'Revoked',
      paymentStatus: 'Payment', failReason: 'Failure reason', event: 'Event', url: 'URL',
      latency: 'Latency', attempt: 'Attempt', body: 'Body', resend: 'Resend', resent: 'Sent again.',
      path: 'Path', code: 'code', error: 'Error', request: 'Request', response: 'Response',
      enabled: 'on', disabled: 'off', allTenants: 'every tenant', source: 'Source',
      when: 'When', then: 'Then', hits: 'Hits', fired: 'Fired', rule: 'Rule',
      noPayments: 'No payments.', noKeys: 'No billing keys.', noSchedules: 'No schedules.',
      noWebhooks: 'No webhook attempts.', noRequests: 'No requests recorded.',
      noScenarios: 'No scenario is loaded.',
      total: '{n} in all', prev: 'Previous', next: 'Next', page: 'page {p} of {last}',
      paymentOf: 'Payment', cancelHistory: 'Cancel history', noCancels: 'Nothing was cancelled.',
      webhooksOf: 'Webhooks it caused', rawJson: 'Raw JSON',
      deposit: 'Deposit into the account', deposited: 'Deposited.',
      viewPayments: 'payments', viewSchedules: 'schedules',
      now: 'now', legendScheduled: 'waiting', legendPaid: 'executed (paid)',
      legendFailed: 'executed (failed)', legendRevoked: 'revoked', noAnswer: 'no answer',
      imp_uid: 'imp_uid',
      counts: '{payments} payments · {billing_keys} keys · {schedules} schedules · {prepares} prepared',
      failed: 'Request failed', merchantCode: 'Merchant code', webhookUrl: 'Webhook URL',
      receipt: 'Receipt', reason: 'Reason', customerUid: 'customer_uid', usage: 'Usage',
      channel: 'Channel', buyer: 'Buyer', vbank: 'Virtual account', kind: 'Kind',
      clockMoved: 'The clock moved.', scenarioOn: 'Scenario switched on.',
      scenarioOff: 'Scenario switched off.', more: 'more', offline: 'impmock cannot be reached.',
    },
  };

  const TABS = ['payments', 'keys', 'schedules', 'webhooks', 'requests', 'scenarios'];
  const POLL_MS = 2000;
  const KST = 9 * 3600;

  const S = {
    lang: localStorage.getItem('impmock.lang') ||
      ((navigator.language || '').toLowerCase().startsWith('ko') ? 'ko' : 'en'),
    token: sessionStorage.getItem('impmock.adminToken') || '',
    needsToken: false,
    tenants: [],
    tenant: null, // imp_key
    tab: 'payments',
    clock: null, // {now, frozen, at: Date.now() when read}
    errors: null, // the error table, for naming refusals
    pages: { payments: 1, keys: 1 },
    shown: {}, // view -> the answer text last rendered (unchanged answers are not redrawn)
    openRequests: new Set(), // journal seqs whose bodies are shown
    detail: null, // imp_uid shown in the drawer
    timer: null,
  };

  const t = (key, vars) => {
    let s = (LABELS[S.lang] && LABELS[S.lang][key]) || LABELS.en[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split(`{${k}}`).join(String(v));
    return s;
  };

  // ---- DOM helpers -------------------------------------------------------------

  const $ = (sel) => document.querySelector(sel);

  /* h('td', {class: 'id', dataset: {label: 'x'}}, 'text', node, ...) */
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k === 'style') Object.assign(e.style, v); // CSSOM: allowed by the page's CSP
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /* Replaces el's children; null, undefined and false are left out. */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  }

  function toast(message, bad) {
    const el = $('#toast');
    el.textContent = message;
    el.className = bad ? 'toast bad' : 'toast';
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, bad ? 6000 : 2500);
  }

  const pad = (n) => String(n).padStart(2, '0');

  /* Unix seconds as "YYYY-MM-DD HH:MM:SS" in Korean time; "—" for 0. */
  function fmtTime(unix) {
    if (!unix) return '—';
    return new Date((unix + KST) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }

  function fmtAmount(n, currency) {
    if (n === null || n === undefined) return '—';
    const digits = Number(n).toLocaleString('en-US');
    if (currency && currency !== 'KRW') return `${digits} ${currency}`;
    return S.lang === 'ko' ? `${digits}원` : `₩${digits}`;
  }

  const badge = (text, cls) => h('span', { class: `badge ${cls || text}` }, text);

  function httpBadge(status) {
    if (!status) return badge(t('noAnswer'), 'none');
    return badge(String(status), `s${String(status)[0]}xx`);
  }

  function jsonText(v) {
    if (typeof v === 'string') return v;
    return JSON.stringify(v, null, 2);
  }

  /* A table with one labelled cell per column: cols are [labelKey, render(row) -> cell content,
   * className?]; the labels double as the card captions on a phone. */
  function table(cols, rows, rowAttrs) {
    const head = h('tr', null, cols.map(([label, , cls]) => h('th', { class: cls }, t(label))));
    const body = h('tbody');
    for (const row of rows) {
      const tr = h('tr', rowAttrs ? rowAttrs(row) : null,
        cols.map(([label, render, cls]) => h('td', { class: cls, dataset: { label: t(label) } },
          render(row))));
      body.append(tr);
      if (row.__after) body.append(row.__after);
    }
    return h('table', { class: 'grid' }, h('thead', null, head), body);
  }

  function empty(key) {
    return h('div', { class: 'panel empty' }, t(key));
  }

  // ---- the control API ----------------------------------------------------------

  class AuthNeeded extends Error {}

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (S.token) headers['X-Admin-Token'] = S.token;
    const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body === undefined ? {} : body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new Error(t('offline'));
    }
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { /* shown as text */ }
    if (res.status === 401) {
      S.needsToken = true;
      throw new AuthNeeded(json && json.error ? json.error : 'admin token needed');
    }
    if (!res.ok) {
      const why = json && (json.error || json.message) ? (json.error || json.message) : text;
      throw new Error(`${res.status}: ${why}`);
    }
    return { json, text };
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, v);
    }
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  const tenantQuery = (extra) => query({ imp_key: S.tenant, ...extra });

  /* Runs a control call a person asked for; failures become a toast. */
  async function act(fn, okMessage) {
    try {
      await fn();
      if (okMessage) toast(okMessage);
      await refreshAll(true);
    } catch (e) {
      if (e instanceof AuthNeeded) showLogin();
      else toast(`${t('failed')}: ${e.message}`, true);
    }
  }

  // ---- login ----------------------------------------------------------------------

  function showLogin(message) {
    stopPolling();
    $('#app').hidden = true;
    $('#tenant-label').hidden = true;
    $('#clock').hidden = true;
    $('#live-label').hidden = true;
    $('#logout').hidden = true;
    $('#login').hidden = false;
    const err = $('#login-error');
    err.hidden = !message;
    err.textContent = message || '';
    $('#token').focus();
  }

  async function signIn(ev) {
    ev.preventDefault();
    S.token = $('#token').value;
    try {
      await loadTenants();
    } catch (e) {
      S.token = '';
      showLogin(e instanceof AuthNeeded ? t('wrongToken') : e.message);
      return;
    }
    sessionStorage.setItem('impmock.adminToken', S.token);
    $('#token').value = '';
    await enter();
  }

  function signOut() {
    S.token = '';
    sessionStorage.removeItem('impmock.adminToken');
    showLogin();
  }

  // ---- tenants and clock ------------------------------------------------------------

  async function loadTenants() {
    const { json } = await api('GET', '/__mock/tenants');
    S.tenants = json;
    if (!S.tenants.some((x) => x.imp_key === S.tenant)) {
      S.tenant = S.tenants.length ? S.tenants[0].imp_key : null;
    }
    renderTenants();
  }

  function renderTenants() {
    const sel = $('#tenant');
    const names = S.tenants.map((x) => `${x.name || x.merchant_code} · ${x.imp_key}`);
    if (sel.dataset.names !== JSON.stringify(names)) { // an open picker is left alone
      fill(sel, S.tenants.map((x, i) => h('option', { value: x.imp_key }, names[i])));
      sel.dataset.names = JSON.stringify(names);
    }
    sel.value = S.tenant || '';
    const cur = S.tenants.find((x) => x.imp_key === S.tenant);
    $('#tenant-name').textContent = cur ? (cur.name || cur.imp_key) : '—';
    $('#tenant-code').textContent = cur ? cur.merchant_code : '';
    const counts = $('#tenant-counts');
    if (cur) {
      fill(counts,
        h('span', null, 'imp_key ', h('b', null, cur.imp_key)),
        h('span', null, t('counts', cur.counts)),
        cur.webhook_url ? h('span', null, `${t('webhookUrl')}: `, h('b', null, cur.webhook_url)) : null);
      for (const el of document.querySelectorAll('[data-count]')) {
        const n = cur.counts[el.dataset.count];
        el.textContent = n === undefined ? '' : String(n);
      }
    } else {
      fill(counts);
    }
  }

  async function loadClock() {
    const { json } = await api('GET', '/__mock/clock');
    S.clock = { now: json.now, frozen: json.frozen, at: Date.now() };
    renderClock();
  }

  function clockNow() {
    if (!S.clock) return 0;
    if (S.clock.frozen) return S.clock.now;
    return S.clock.now + Math.floor((Date.now() - S.clock.at) / 1000);
  }

  function renderClock() {
    if (!S.clock) return;
    const now = clockNow();
    const el = $('#clock-now');
    el.textContent = `${fmtTime(now)} KST`;
    el.dateTime = new Date(now * 1000).toISOString();
    $('#clock-frozen').hidden = !S.clock.frozen;
    $('#freeze').textContent = t(S.clock.frozen ? 'unfreeze' : 'freeze');
    const set = $('#set-at'); // offers the clock's reading until a person types
    if (document.activeElement !== set && !set.dataset.edited) set.value = fmtTime(now).replace(' ', 'T');
  }

  function advanceClock(ev) {
    ev.preventDefault();
    const n = Number($('#advance-n').value);
    const unit = Number($('#advance-unit').value);
    if (!Number.isFinite(n) || n === 0) return;
    act(() => api('POST', '/__mock/clock', { advance: Math.round(n * unit) }), t('clockMoved'));
  }

  function setClock(ev) {
    ev.preventDefault();
    const v = $('#set-at').value; // "YYYY-MM-DDTHH:MM[:SS]", read as Korean time
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
    if (!m) return;
    const unix = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) / 1000 - KST;
    act(async () => {
      await api('POST', '/__mock/clock', { set: unix });
      delete $('#set-at').dataset.edited;
    }, t('clockMoved'));
  }

  function toggleFreeze() {
    const frozen = !!(S.clock && S.clock.frozen);
    act(() => api('POST', '/__mock/clock', { freeze: !frozen }));
  }

  /* Two clicks within four seconds: a reset forgets the tenant's records. */
  function resetTenant() {
    const btn = $('#reset');
    if (!btn.classList.contains('armed')) {
      btn.classList.add('armed');
      btn.textContent = t('confirmReset');
      clearTimeout(resetTenant.timer);
      resetTenant.timer = setTimeout(disarmReset, 4000);
      return;
    }
    disarmReset();
    act(() => api('POST', `/__mock/reset${query({ imp_key: S.tenant })}`), t('resetDone'));
  }

  function disarmReset() {
    const btn = $('#reset');
    btn.classList.remove('armed');
    btn.textContent = t('resetTenant');
  }

  // ---- views --------------------------------------------------------------------------

  function formValues(form) {
    const out = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      out[el.name] = el.type === 'checkbox' ? el.checked : el.value.trim();
    }
    return out;
  }

  /* A load of view `name` is current until a newer one starts: answers
   * that arrive out of order (a poll and a search) never overwrite a newer one. */
  const generations = {};
  function ticket(name) {
    const n = (generations[name] || 0) + 1;
    generations[name] = n;
    return () => generations[name] === n;
  }

  /* Draws view `name` from `text` unless that is what it shows already. */
  function changed(name, text, force) {
    if (!force && S.shown[name] === text) return false;
    S.shown[name] = text;
    return true;
  }

  function pager(el, json, page, go) {
    const last = Math.max(1, Math.ceil(json.total / PAGE));
    fill(el,
      h('span', null, t('total', { n: json.total })),
      json.previous ? h('button', { type: 'button', class: 'small', onclick: () => go(page - 1) }, t('prev')) : null,
      json.next ? h('button', { type: 'button', class: 'small', onclick: () => go(page + 1) }, t('next')) : null,
      last > 1 ? h('span', null, t('page', { p: page, last })) : null);
  }

  const statusCell = (s) => badge(s);

  // payments
  const PAGE = 20;

  async function loadPayments(force) {
    const f = formValues($('#payments-form'));
    const current = ticket('payments');
    const { json, text } = await api('GET', `/__mock/payments${tenantQuery({ ...f, page: S.pages.payments, limit: PAGE })}`);
    if (!current() || !changed('payments', text, force)) return;
    const list = $('#payments-list');
    if (!json.list.length) {
      fill(list, empty('noPayments'));
    } else {
      fill(list, table([
        ['imp_uid', (p) => h('button', { type: 'button', class: 'link mono' }, p.imp_uid), 'id'],
        ['merchant_uid', (p) => p.merchant_uid, 'id'],
        ['name', (p) => p.name || '—'],
        ['amount', (p) => fmtAmount(p.amount, p.currency), 'num'],
        ['status', (p) => statusCell(p.status)],
        ['payMethod', (p) => `${p.pay_method || '—'} · ${p.pg_provider || '—'}`],
        ['customerUid', (p) => p.customer_uid || '—', 'id'],
        ['time', (p) => fmtTime(p.cancelled_at || p.paid_at || p.failed_at || p.started_at), 'time'],
      ], json.list, (p) => ({
        class: 'clickable', dataset: { impUid: p.imp_uid, merchantUid: p.merchant_uid },
        onclick: () => openPayment(p.imp_uid),
      })));
    }
    pager($('#payments-pager'), json, S.pages.payments, (p) => { S.pages.payments = p; loadPayments(true); });
  }

  // billing keys
  async function loadKeys(force) {
    const f = formValues($('#keys-form'));
    const current = ticket('keys');
    const { json, text } = await api('GET', `/__mock/customers${tenantQuery({ ...f, page: S.pages.keys, limit: PAGE })}`);
    if (!current() || !changed('keys', text, force)) return;
    const list = $('#keys-list');
    if (!json.list.length) {
      fill(list, empty('noKeys'));
    } else {
      fill(list, table([
        ['customerUid', (c) => c.customer_uid, 'id'],
        ['card', (c) => [c.card_name || '—', ' ', h('span', { class: 'mono muted' }, c.card_number || '')]],
        ['pg', (c) => `${c.pg_provider || '—'}${c.pg_id ? ` · ${c.pg_id}` : ''}`],
        ['customerName', (c) => c.customer_name || '—'],
        ['inserted', (c) => fmtTime(c.inserted), 'time'],
        ['updated', (c) => fmtTime(c.updated), 'time'],
        ['more', (c) => [
          h('button', { type: 'button', class: 'link', onclick: () => showFiltered('payments', c.customer_uid) }, t('viewPayments')),
          ' · ',
          h('button', { type: 'button', class: 'link', onclick: () => showFiltered('schedules', c.customer_uid) }, t('viewSchedules')),
        ]],
      ], json.list, (c) => ({ dataset: { customerUid: c.customer_uid } })));
    }
    pager($('#keys-pager'), json, S.pages.keys, (p) => { S.pages.keys = p; loadKeys(true); });
  }

  function showFiltered(tab, customerUid) {
    const form = $(`#${tab}-form`);
    form.reset();
    form.elements.customer_uid.value = customerUid;
    S.pages.payments = 1;
    switchTab(tab);
  }

  // schedules
  async function loadSchedules(force) {
    const f = formValues($('#schedules-form'));
    const current = ticket('schedules');
    const { json, text } = await api('GET', `/__mock/schedules${tenantQuery({ ...f, limit: 1000 })}`);
    if (!current() || !changed('schedules', `${text}|${S.clock && S.clock.now}`, force)) return;
    renderTimeline(json.list);
    const list = $('#schedules-list');
    if (!json.list.length) {
      fill(list, empty('noSchedules'));
      return;
    }
    fill(list, table([
      ['merchant_uid', (s) => s.merchant_uid, 'id'],
      ['customerUid', (s) => s.customer_uid, 'id'],
      ['scheduleAt', (s) => fmtTime(s.schedule_at), 'time'],
      ['amount', (s) => fmtAmount(s.amount, s.currency), 'num'],
      ['status', (s) => statusCell(s.schedule_status)],
      ['paymentStatus', (s) => (s.payment_status ? statusCell(s.payment_status) : '—')],
      ['imp_uid', (s) => (s.imp_uid
        ? h('button', { type: 'button', class: 'link mono', onclick: () => openPayment(s.imp_uid) }, s.imp_uid)
        : '—'), 'id'],
      ['executedAt', (s) => fmtTime(s.executed_at || s.revoked_at), 'time'],
      ['failReason', (s) => s.fail_reason || '—'],
    ], json.list, (s) => ({ dataset: { merchantUid: s.merchant_uid, status: s.schedule_status } })));
  }

  /* The schedule items as marks on a line from the earliest to the latest
   * time, impmock's clock among them; close marks go on lanes below. */
  function renderTimeline(items) {
    const box = $('#timeline');
    const now = clockNow();
    const times = items.map((s) => s.schedule_at).concat([now]);
    let lo = Math.min(...times);
    let hi = Math.max(...times);
    const span = Math.max(hi - lo, 3600);
    lo -= span * 0.04;
    hi = lo + span * 1.08;
    const x = (at) => ((at - lo) / (hi - lo)) * 100;
    const lanes = [];
    const marks = items.map((s) => {
      const pos = x(s.schedule_at);
      let lane = 0;
      while (lane < 4 && lanes[lane] !== undefined && pos - lanes[lane] < 2.2) lane++;
      lanes[lane] = pos;
      const failed = s.schedule_status === 'executed' && s.payment_status && s.payment_status !== 'paid' &&
        s.payment_status !== 'cancelled';
      const tip = `${s.merchant_uid} · ${fmtTime(s.schedule_at)} KST · ${fmtAmount(s.amount, s.currency)} · ${s.schedule_status}` +
        (s.payment_status ? ` / ${s.payment_status}` : '');
      return h('button', {
        type: 'button',
        class: `mark ${s.schedule_status}${failed ? ' failed' : ''}`,
        style: { left: `${pos.toFixed(3)}%`, top: `${12 + lane * 18}px` },
        title: tip, 'aria-label': tip,
        dataset: { merchantUid: s.merchant_uid, status: s.schedule_status },
        onclick: () => (s.imp_uid ? openPayment(s.imp_uid) : null),
      });
    });
    const nowPos = x(now);
    const track = h('div', { class: 'track' }, marks,
      h('div', { class: `now${nowPos > 80 ? ' right' : ''}`, style: { left: `${nowPos.toFixed(3)}%` }, id: 'timeline-now' },
        h('span', null, `${t('now')} ${fmtTime(now).slice(5, 16)}`)));
    const mid = lo + (hi - lo) / 2;
    fill(box, track,
      h('div', { class: 'axis' }, h('span', null, fmtTime(Math.round(lo)).slice(0, 16)),
        h('span', null, fmtTime(Math.round(mid)).slice(0, 16)), h('span', null, fmtTime(Math.round(hi)).slice(0, 16))),
      h('div', { class: 'legend' },
        h('span', null, h('i'), t('legendScheduled')), h('span', null, h('i', { class: 'executed' }), t('legendPaid')),
        h('span', null, h('i', { class: 'failed' }), t('legendFailed')), h('span', null, h('i', { class: 'revoked' }), t('legendRevoked'))));
  }

  // webhooks
  function webhookTable(attempts, compact) {
    const cols = [
      ['time', (a) => fmtTime(a.time), 'time'],
      ['event', (a) => badge(a.event, a.event)],
      compact ? null : ['imp_uid', (a) => h('button', { type: 'button', class: 'link mono', onclick: () => openPayment(a.imp_uid) }, a.imp_uid), 'id'],
      compact ? null : ['merchant_uid', (a) => a.merchant_uid, 'id'],
      ['url', (a) => h('span', { class: 'mono' }, a.url), 'id'],
      ['httpStatus', (a) => [httpBadge(a.status), a.error ? h('div', { class: 'muted' }, a.error) : null]],
      ['latency', (a) => `${Math.round(a.elapsed_ms)} ms`, 'num'],
      ['attempt', (a) => `#${a.attempt} ${a.kind}`],
      ['body', (a) => h('details', null, h('summary', null, t('more')), h('pre', null, jsonText(a.body))), 'wide'],
      ['resend', (a) => h('button', {
        type: 'button', class: 'small', dataset: { resend: a.id },
        onclick: (ev) => { ev.stopPropagation(); act(() => api('POST', `/__mock/webhooks/${a.id}/resend`), t('resent')).then(() => (S.detail ? openPayment(S.detail) : null)); },
      }, t('resend'))],
    ].filter(Boolean);
    return table(cols, attempts, (a) => ({ dataset: { webhookId: a.id, impUid: a.imp_uid } }));
  }

  async function loadWebhooks(force) {
    const f = formValues($('#webhooks-form'));
    const current = ticket('webhooks');
    const { json, text } = await api('GET', `/__mock/webhooks${tenantQuery({ ...f, limit: 200 })}`);
    if (!current() || !changed('webhooks', text, force)) return;
    const list = $('#webhooks-list');
    fill(list, json.length ? webhookTable(json.slice().reverse(), false) : empty('noWebhooks'));
  }

  // requests
  /* The error table row an answer came from: same HTTP status and code, and
   * a message its text fits ("%s" takes anything); the most specific wins. */
  function errorName(status, body) {
    if (!body || typeof body !== 'object' || typeof body.code !== 'number') return null;
    if (body.code === 0) return 'OK';
    if (!S.errors) return null;
    const message = typeof body.message === 'string' ? body.message : '';
    let best = null;
    let bestLen = -1;
    for (const e of S.errors) {
      if (e.code !== body.code || e.http !== status || !e.message) continue;
      if (!e.re) {
        const parts = e.message.split('%s').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        e.re = new RegExp(`^${parts.join('[\\s\\S]*')}$`);
        e.literal = parts.join('').length;
      }
      if (e.re.test(message) && e.literal > bestLen) {
        best = e.name;
        bestLen = e.literal;
      }
    }
    return best;
  }

  async function loadRequests(force) {
    const f = formValues($('#requests-form'));
    const current = ticket('requests');
    if (!S.errors) {
      try { S.errors = (await api('GET', '/__mock/errors')).json; } catch (e) { if (e instanceof AuthNeeded) throw e; }
    }
    const { json, text } = await api('GET', `/__mock/requests${tenantQuery({
      method: f.method, path: f.path, status: f.status, limit: 200,
    })}`);
    if (!current() || !changed('requests', `${text}|${f.refused}|${[...S.openRequests].join(',')}`, force)) return;
    let entries = json.slice().reverse().map((e) => {
      const body = e.response_body;
      const code = body && typeof body === 'object' && typeof body.code === 'number' ? body.code : null;
      return { ...e, code, error: errorName(e.status, body) };
    });
    if (f.refused) entries = entries.filter((e) => e.status >= 400 || (e.code !== null && e.code !== 0));
    const list = $('#requests-list');
    if (!entries.length) {
      fill(list, empty('noRequests'));
      return;
    }
    for (const e of entries) {
      if (!S.openRequests.has(e.seq)) continue;
      e.__after = h('tr', { class: 'more' }, h('td', { colspan: 7, class: 'wide', dataset: { label: t('body') } },
        h('div', { class: 'bodies' },
          h('div', null, h('b', null, t('request')), h('pre', null, jsonText(e.request_body) || '—')),
          h('div', null, h('b', null, t('response')), h('pre', null, jsonText(e.response_body) || '—')))));
    }
    fill(list, table([
      ['time', (e) => fmtTime(e.time), 'time'],
      ['method', (e) => h('b', null, e.method)],
      ['path', (e) => e.path, 'id'],
      ['httpStatus', (e) => httpBadge(e.status)],
      ['code', (e) => (e.code === null ? '—' : badge(String(e.code), e.code === 0 ? 's2xx' : 'refused'))],
      ['error', (e) => (e.error && e.error !== 'OK' ? h('span', { class: 'mono' }, e.error) : '—')],
      ['#', (e) => String(e.seq), 'num'],
    ], entries, (e) => ({
      class: `clickable${S.openRequests.has(e.seq) ? ' open' : ''}`,
      dataset: { seq: e.seq, code: e.code === null ? '' : e.code, error: e.error || '' },
      onclick: () => {
        if (S.openRequests.has(e.seq)) S.openRequests.delete(e.seq); else S.openRequests.add(e.seq);
        loadRequests(true);
      },
    })));
  }

  // scenarios
  async function loadScenarios(force) {
    const current = ticket('scenarios');
    const { json, text } = await api('GET', '/__mock/scenarios');
    if (!current() || !changed('scenarios', `${text}|${S.tenant}`, force)) return;
    const mine = json.filter((s) => !s.tenant || s.tenant === S.tenant);
    const list = $('#scenarios-list');
    if (!mine.length) {
      fill(list, empty('noScenarios'));
      return;
    }
    fill(list, ...mine.map((s) => h('section', { class: 'panel scenario', dataset: { scenario: s.name } },
      h('header', null,
        h('h2', null, s.name),
        badge(t(s.enabled === false ? 'disabled' : 'enabled'), s.enabled === false ? 'off' : 'on'),
        h('span', { class: 'muted' }, s.tenant ? `${t('tenant')}: ${s.tenant}` : t('allTenants')),
        h('span', { class: 'spacer' }),
        h('label', { class: 'check' },
          h('input', {
            type: 'checkbox', role: 'switch', checked: s.enabled !== false, 'aria-label': `${s.name} ${t('enabled')}`,
            onchange: (ev) => {
              const on = ev.target.checked;
              act(() => api('POST', `/__mock/scenarios/${encodeURIComponent(s.name)}/enabled`, { enabled: on }),
                t(on ? 'scenarioOn' : 'scenarioOff'));
            },
          }), t('enabled'))),
      h('p', null, s.description),
      h('p', { class: 'muted' }, `${t('source')}: ${s.source}`),
      table([
        ['rule', (r) => String(r.index), 'num'],
        ['when', (r) => h('span', { class: 'rule-json' }, JSON.stringify(r.when)), 'id'],
        ['then', (r) => h('span', { class: 'rule-json' }, JSON.stringify(r.then)), 'id'],
        ['hits', (r) => String(r.hits), 'num'],
        ['fired', (r) => String(r.fired), 'num'],
      ], s.rules.map((r, i) => ({ ...r, index: i })), (r) => ({ dataset: { hits: r.hits, fired: r.fired } })))));
  }

  // ---- payment detail ------------------------------------------------------------------

  function facts(pairs) {
    return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== 0)
      .map(([k, v]) => [h('dt', null, t(k)), h('dd', null, v)]));
  }

  async function openPayment(impUid) {
    S.detail = impUid;
    $('#detail-title').textContent = `${t('paymentOf')} ${impUid}`;
    $('#detail').hidden = false;
    $('#shade').hidden = false;
    try {
      const { json } = await api('GET', `/__mock/payments${tenantQuery({ imp_uid: impUid })}`);
      const p = json.list[0];
      if (!p) {
        fill($('#detail-body'), empty('noPayments'));
        return;
      }
      const hooks = (await api('GET', `/__mock/webhooks${tenantQuery({ merchant_uid: p.merchant_uid })}`)).json
        .filter((a) => a.imp_uid === p.imp_uid).reverse();
      if (S.detail !== impUid) return;
      renderPayment(p, hooks);
    } catch (e) {
      if (e instanceof AuthNeeded) showLogin();
      else fill($('#detail-body'), h('p', { class: 'error' }, e.message));
    }
  }

  function renderPayment(p, hooks) {
    const isVbankWaiting = p.pay_method === 'vbank' && p.status === 'ready';
    const actions = h('div', { class: 'actions' },
      isVbankWaiting ? h('button', {
        type: 'button', class: 'primary', id: 'deposit',
        onclick: () => act(() => api('POST', `/__mock/vbanks/${encodeURIComponent(p.imp_uid)}/deposit${tenantQuery()}`),
          t('deposited')).then(() => openPayment(p.imp_uid)),
      }, t('deposit')) : null,
      p.customer_uid ? h('button', { type: 'button', onclick: () => { closeDetail(); showFiltered('payments', p.customer_uid); } },
        `customer_uid ${p.customer_uid}`) : null);
    const cancels = p.cancel_history || [];
    fill($('#detail-body'),
      h('div', { class: 'actions' }, badge(p.status), h('b', null, fmtAmount(p.amount, p.currency)),
        p.cancel_amount ? h('span', { class: 'muted' }, `− ${fmtAmount(p.cancel_amount, p.currency)}`) : null),
      facts([
        ['merchant_uid', p.merchant_uid], ['name', p.name], ['payMethod', p.pay_method],
        ['pg', `${p.pg_provider || ''}${p.pg_id ? ` · ${p.pg_id}` : ''}`], ['pg_tid', p.pg_tid],
        ['channel', p.channel], ['card', p.card_name ? `${p.card_name} ${p.card_number || ''}` : null],
        ['vbank', p.vbank_num ? `${p.vbank_name || ''} ${p.vbank_num} (${p.vbank_holder || ''}) ~ ${fmtTime(p.vbank_date)}` : null],
        ['customerUid', p.customer_uid], ['usage', p.customer_uid_usage],
        ['buyer', [p.buyer_name, p.buyer_email, p.buyer_tel].filter(Boolean).join(' · ')],
        ['started', p.started_at ? fmtTime(p.started_at) : null], ['paidAt', p.paid_at ? fmtTime(p.paid_at) : null],
        ['failedAt', p.failed_at ? fmtTime(p.failed_at) : null],
        ['cancelledAt', p.cancelled_at ? fmtTime(p.cancelled_at) : null],
        ['failReason', p.fail_reason], ['reason', p.cancel_reason],
        ['receipt', p.receipt_url ? h('a', { href: p.receipt_url, rel: 'noreferrer', target: '_blank' }, p.receipt_url) : null],
      ]),
      actions,
      h('h3', null, t('cancelHistory')),
      cancels.length ? h('div', { class: 'table-wrap', id: 'detail-cancels' }, table([
        ['time', (c) => fmtTime(c.cancelled_at), 'time'],
        ['amount', (c) => fmtAmount(c.amount, p.currency), 'num'],
        ['reason', (c) => c.reason || '—'],
        ['pg_tid', (c) => c.pg_tid || '—', 'id'],
        ['receipt', (c) => (c.receipt_url ? h('a', { href: c.receipt_url, rel: 'noreferrer', target: '_blank' }, t('receipt')) : '—')],
      ], cancels)) : h('p', { class: 'muted', id: 'detail-cancels' }, t('noCancels')),
      h('h3', null, t('webhooksOf')),
      h('div', { class: 'table-wrap', id: 'detail-webhooks' }, hooks.length ? webhookTable(hooks, true) : h('p', { class: 'muted' }, t('noWebhooks'))),
      h('details', null, h('summary', null, t('rawJson')), h('pre', null, JSON.stringify(p, null, 2))));
  }

  function closeDetail() {
    S.detail = null;
    $('#detail').hidden = true;
    $('#shade').hidden = true;
  }

  // ---- tabs, polling, language ------------------------------------------------------------

  const LOADERS = {
    payments: loadPayments, keys: loadKeys, schedules: loadSchedules,
    webhooks: loadWebhooks, requests: loadRequests, scenarios: loadScenarios,
  };

  async function refreshView(force) {
    await LOADERS[S.tab](force);
  }

  /* Everything on screen, again; force redraws even unchanged answers. */
  async function refreshAll(force) {
    try {
      await Promise.all([loadClock(), loadTenants()]);
      await refreshView(force);
    } catch (e) {
      if (e instanceof AuthNeeded) showLogin();
      else toast(e.message, true);
    }
  }

  function switchTab(tab) {
    if (!TABS.includes(tab)) tab = 'payments';
    S.tab = tab;
    for (const b of document.querySelectorAll('#tabs button')) {
      b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    }
    for (const name of TABS) $(`#view-${name}`).hidden = name !== tab;
    saveLocation();
    refreshView(true).catch((e) => (e instanceof AuthNeeded ? showLogin() : toast(e.message, true)));
  }

  function saveLocation() {
    const q = new URLSearchParams({ tab: S.tab });
    if (S.tenant) q.set('tenant', S.tenant);
    history.replaceState(null, '', `#${q}`);
  }

  function startPolling() {
    stopPolling();
    S.timer = setInterval(async () => {
      renderClock();
      if (!$('#live').checked || document.hidden) return;
      S.ticks = (S.ticks || 0) + 1;
      if (S.ticks % Math.round(POLL_MS / 1000) !== 0) return;
      try {
        await Promise.all([loadClock(), loadTenants()]);
        await refreshView(false);
      } catch (e) {
        if (e instanceof AuthNeeded) showLogin();
      }
    }, 1000);
  }

  function stopPolling() {
    clearInterval(S.timer);
    S.timer = null;
  }

  function applyLanguage() {
    document.documentElement.lang = S.lang;
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    $('#lang').textContent = S.lang === 'ko' ? 'English' : '한국어';
    $('#lang').setAttribute('aria-label', S.lang === 'ko' ? 'Switch to English' : '한국어로 보기');
    document.title = `impmock ${t('dashboard')}`;
  }

  function toggleLanguage() {
    S.lang = S.lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem('impmock.lang', S.lang);
    applyLanguage();
    renderTenants();
    renderClock();
    disarmReset();
    refreshView(true).catch(() => {});
    if (S.detail) openPayment(S.detail);
  }

  // ---- start -----------------------------------------------------------------------------

  async function enter() {
    $('#login').hidden = true;
    $('#app').hidden = false;
    $('#tenant-label').hidden = false;
    $('#clock').hidden = false;
    $('#live-label').hidden = false;
    $('#logout').hidden = !S.token;
    await loadClock();
    switchTab(S.tab);
    startPolling();
  }

  function wire() {
    $('#lang').addEventListener('click', toggleLanguage);
    $('#logout').addEventListener('click', signOut);
    $('#login-form').addEventListener('submit', signIn);
    $('#tenant').addEventListener('change', (ev) => {
      S.tenant = ev.target.value;
      S.pages = { payments: 1, keys: 1 };
      S.shown = {};
      closeDetail();
      saveLocation();
      renderTenants();
      refreshView(true).catch(() => {});
    });
    for (const b of document.querySelectorAll('#tabs button')) {
      b.addEventListener('click', () => switchTab(b.dataset.tab));
    }
    for (const name of ['payments', 'keys', 'schedules', 'webhooks', 'requests']) {
      const form = $(`#${name}-form`);
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (name in S.pages) S.pages[name] = 1;
        refreshView(true).catch((e) => toast(e.message, true));
      });
      form.addEventListener('reset', () => setTimeout(() => {
        if (name in S.pages) S.pages[name] = 1;
        refreshView(true).catch(() => {});
      }, 0));
    }
    $('#advance-form').addEventListener('submit', advanceClock);
    $('#set-form').addEventListener('submit', setClock);
    $('#set-at').addEventListener('input', (ev) => { ev.target.dataset.edited = '1'; });
    $('#freeze').addEventListener('click', toggleFreeze);
    $('#reset').addEventListener('click', resetTenant);
    $('#detail-close').addEventListener('click', closeDetail);
    $('#shade').addEventListener('click', closeDetail);
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && S.detail) closeDetail(); });
  }

  async function main() {
    const q = new URLSearchParams(location.hash.slice(1));
    if (q.get('tab')) S.tab = q.get('tab');
    if (q.get('tenant')) S.tenant = q.get('tenant');
    applyLanguage();
    wire();
    try {
      await loadTenants();
    } catch (e) {
      if (e instanceof AuthNeeded) {
        S.token = '';
        sessionStorage.removeItem('impmock.adminToken');
        showLogin();
      } else {
        toast(e.message, true);
      }
      return;
    }
    await enter();
  }

  main();
})();
