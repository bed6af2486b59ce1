// dashboard.test.mjs - the sandbox dashboard at /__mock/ui in headless
// chromium: records made through the REST API from node (billing keys,
// payments, a partial and a full cancel, a schedule, webhooks to a receiver
// on the merchant's origin, a refused call) are found on their tabs;
// searching, a payment's detail with its cancel history and webhooks, a
// webhook resend, a scenario switched off and on, the clock advanced from
// the page until the schedule runs, set and frozen, the language toggle, a
// tenant reset, the admin-token login, and both a 1280x800 and a phone
// screen. Screenshots land in tests/artifacts/ (dashboard-*.png).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test as nodeTest } from 'node:test';
import { admin, artifacts, rest, start, until } from './harness.mjs';

const test = (name, fn) => nodeTest(name, { timeout: 90000 }, fn);

const T0 = 1704034800; // 2024-01-01 00:00 KST: the clock starts frozen there
const DAY = 86400;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const shot = (name) => path.join(artifacts, `dashboard-${name}.png`);

let seq = 0;
const uid = (what) => `dash_${what}_${process.pid}_${++seq}`;

/* A dashboard tab; every control call it makes is recorded, and a page
 * error or a console error fails the test that reads them. */
async function openDashboard(env, { viewport = DESKTOP, locale = 'ko-KR', hash = '' } = {}) {
  const context = await env.browser.newContext({ viewport, locale,
    isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  const errors = [];
  const calls = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/__mock/')) {
      calls.push({ method: r.method(), url: r.url(), headers: r.headers() });
    }
  });
  await page.goto(`${env.mock.base}/__mock/ui${hash}`, { timeout: 15000 });
  return { context, page, errors, calls };
}

async function tab(page, name) {
  await page.click(`#tabs button[data-tab="${name}"]`);
  await page.waitForSelector(`#view-${name}:not([hidden])`);
}

function assertNoOverflow(page, what) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    .then((over) => assert.ok(over <= 0, `${what}: the page scrolls sideways by ${over}px`));
}

describe('dashboard', () => {
  let env;
  const made = {};

  before(async () => {
    env = await start({ args: ['--clock', String(T0)] });
    const hook = `${env.merchant.origin}/hook`;
    made.customer = uid('cust');
    made.declining = uid('cust');
    let r = await rest(env, 'POST', `/subscribe/customers/${made.customer}`, {
      card_number: '4242-4242-4242-4242', expiry: '2030-12', customer_name: '홍길동',
    });
    assert.equal(r.json.code, 0, JSON.stringify(r.json));
    r = await rest(env, 'POST', `/subscribe/customers/${made.declining}`, {
      card_number: '4000-0000-0000-0341', expiry: '2030-12',
    });
    assert.equal(r.json.code, 0, JSON.stringify(r.json));

    // paid, then partly refunded with a webhook for each
    made.partial = uid('order');
    r = await rest(env, 'POST', '/subscribe/payments/again', {
      customer_uid: made.customer, merchant_uid: made.partial, amount: 9900, name: '월간 이용권',
      notice_url: hook,
    });
    assert.equal(r.json.response.status, 'paid', JSON.stringify(r.json));
    made.partialImp = r.json.response.imp_uid;
    r = await rest(env, 'POST', '/payments/cancel', {
      imp_uid: made.partialImp, amount: 3000, reason: '부분 환불', enable_webhook: true,
    });
    assert.equal(r.json.code, 0, JSON.stringify(r.json));

    // paid, then cancelled in full
    made.cancelled = uid('order');
    r = await rest(env, 'POST', '/subscribe/payments/again', {
      customer_uid: made.customer, merchant_uid: made.cancelled, amount: 5000, name: '추가 옵션',
    });
    made.cancelledImp = r.json.response.imp_uid;
    r = await rest(env, 'POST', '/payments/cancel', { imp_uid: made.cancelledImp, reason: '전액 환불' });
    assert.equal(r.json.response.status, 'cancelled', JSON.stringify(r.json));

    // declined by the card
    made.failed = uid('order');
    r = await rest(env, 'POST', '/subscribe/payments/again', {
      customer_uid: made.declining, merchant_uid: made.failed, amount: 1000, name: '거절될 결제',
    });
    assert.equal(r.json.response.status, 'failed', JSON.stringify(r.json));
    made.failedImp = r.json.response.imp_uid;

    // a schedule a day ahead of the frozen clock, with its webhook
    made.schedule = uid('sched');
    r = await rest(env, 'POST', '/subscribe/payments/schedule', {
      customer_uid: made.customer,
      schedules: [{ merchant_uid: made.schedule, schedule_at: T0 + DAY, amount: 4900, name: '2월 이용권',
        notice_url: hook }],
    });
    assert.equal(r.json.code, 0, JSON.stringify(r.json));

    // a refusal for the journal: no such billing key
    r = await rest(env, 'POST', '/subscribe/payments/again', {
      customer_uid: 'nobody_has_this_key', merchant_uid: uid('order'), amount: 1000,
    });
    assert.equal(r.json.code, 1);

    // a scenario that counts lookups of this test's orders
    r = await admin(env, 'POST', '/__mock/scenarios', {
      name: 'dash-slow-lookup', description: 'find of dash orders answers 200 after 1 ms',
      rules: [{ when: { op: 'lookup', merchant_uid: 'dash_*' }, then: { delay_ms: 1 } }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await rest(env, 'GET', `/payments/find/${made.partial}`);

    await until(() => env.merchant.hooks.filter((h) => h.body.includes(made.partialImp)).length >= 2,
      'the paid and cancelled webhooks');
  }, { timeout: 60000 });

  after(async () => {
    const code = await env?.stop();
    assert.equal(code, 0, 'impmock exits cleanly');
  }, { timeout: 30000 });

  test('the landing page links the dashboard, the shop and the control API', async () => {
    const context = await env.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    for (const p of ['/', '/__mock/']) {
      await page.goto(`${env.mock.base}${p}`);
      assert.equal(await page.title(), 'impmock');
      assert.equal(await page.getAttribute('#to-dashboard', 'href'), '/__mock/ui');
      assert.equal(await page.getAttribute('#to-shop', 'href'), '/examples/shop');
      assert.ok(await page.isVisible('#control-api'));
    }
    await page.screenshot({ path: shot('landing'), fullPage: true });
    await page.click('#to-dashboard');
    await page.waitForURL(/\/__mock\/ui/);
    await page.waitForSelector('#app:not([hidden])');
    await context.close();
  });

  test('payments: every one is listed; search by each field; the detail', async () => {
    const { context, page, errors } = await openDashboard(env);
    await page.waitForSelector(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    for (const imp of [made.partialImp, made.cancelledImp, made.failedImp]) {
      assert.ok(await page.isVisible(`#payments-list tr[data-imp-uid="${imp}"]`), imp);
    }
    assert.equal(await page.textContent('#tenant-code'), 'imp00000000');
    await page.screenshot({ path: shot('payments') });

    const rows = () => page.$$eval('#payments-list tr[data-imp-uid]', (trs) => trs.map((tr) => tr.dataset.impUid));
    /* fills the form, submits, and waits until the list shows `want` */
    const search = async (fields, want) => {
      await page.click('#payments-form button[type="reset"]');
      for (const [k, v] of Object.entries(fields)) {
        if (k === 'status') await page.selectOption('#payments-form select[name="status"]', v);
        else await page.fill(`#payments-form input[name="${k}"]`, v);
      }
      await page.click('#payments-form button[type="submit"]');
      const expected = JSON.stringify(want.slice().sort());
      await until(async () => JSON.stringify((await rows()).sort()) === expected,
        `${JSON.stringify(fields)} to list ${expected} (it lists ${JSON.stringify(await rows())})`, 5000)
        .catch(async (e) => { throw new Error(`${e.message}; now ${JSON.stringify(await rows())}`); });
    };
    await search({ imp_uid: made.failedImp }, [made.failedImp]);
    await search({ merchant_uid: made.partial }, [made.partialImp]);
    await search({ customer_uid: made.customer }, [made.partialImp, made.cancelledImp]);
    await search({ status: 'cancelled' }, [made.cancelledImp]);
    await search({ status: 'failed', customer_uid: made.declining }, [made.failedImp]);
    await search({ status: 'paid', imp_uid: made.failedImp }, []);
    await search({ merchant_uid: 'no_such_order' }, []);
    assert.ok(await page.isVisible('#payments-list .empty'));
    // the form's values stay while the list refreshes itself
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual(await rows(), []);

    // the detail: amounts, the partial refund, and both webhooks it caused
    await search({ merchant_uid: made.partial }, [made.partialImp]);
    await page.click(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    await page.waitForSelector('#detail-cancels table');
    assert.match(await page.textContent('#detail-title'), new RegExp(made.partialImp));
    const cancels = await page.$$eval('#detail-cancels tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.equal(cancels.length, 1);
    assert.match(cancels[0], /3,000원/);
    assert.match(cancels[0], /부분 환불/);
    await page.waitForFunction(() => document.querySelectorAll('#detail-webhooks tbody tr').length >= 2);
    const hooks = await page.$$eval('#detail-webhooks tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.ok(hooks.some((t) => /paid/.test(t) && /200/.test(t)), hooks.join('\n'));
    assert.ok(hooks.some((t) => /cancelled/.test(t)), hooks.join('\n'));
    assert.match(await page.textContent('#detail-body'), /9,900원/);
    assert.equal(await page.isVisible('#deposit'), false, 'no deposit button for a card payment');
    await page.screenshot({ path: shot('payment-detail') });
    await page.click('#detail-close');
    assert.equal(await page.isVisible('#detail'), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('billing keys, webhooks with a resend, and the request journal', async () => {
    const { context, page, errors } = await openDashboard(env, { hash: '#tab=keys' });
    await page.waitForSelector(`#keys-list tr[data-customer-uid="${made.customer}"]`);
    assert.ok(await page.isVisible(`#keys-list tr[data-customer-uid="${made.declining}"]`));
    const key = await page.textContent(`#keys-list tr[data-customer-uid="${made.customer}"]`);
    assert.match(key, /424242\*+4242/, 'the masked card number');
    assert.match(key, /홍길동/);
    await page.fill('#keys-form input[name="customer_uid"]', made.declining);
    await page.click('#keys-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('#keys-list tr[data-customer-uid]').length === 1);

    // webhook attempts: status, latency, body; resend one
    await tab(page, 'webhooks');
    const row = `#webhooks-list tr[data-imp-uid="${made.partialImp}"]`;
    await page.waitForSelector(row);
    const first = await page.textContent(row);
    assert.match(first, /200/);
    assert.match(first, /\d+ ms/);
    assert.match(first, new RegExp(`${env.merchant.origin}/hook`));
    const id = await page.getAttribute(row, 'data-webhook-id');
    const got = env.merchant.hooks.length;
    await page.click(`${row} button[data-resend]`);
    await until(() => env.merchant.hooks.length > got, 'the resent webhook');
    await page.waitForFunction((i) => [...document.querySelectorAll('#webhooks-list tr[data-webhook-id]')]
      .filter((tr) => tr.dataset.webhookId === i).length >= 2, id);
    assert.match(await page.textContent(`#webhooks-list tr[data-webhook-id="${id}"]`), /resend/);
    await page.screenshot({ path: shot('webhooks') });

    // the journal: every call, its envelope code and the error's name
    await tab(page, 'requests');
    await page.waitForSelector('#requests-list tr[data-error="CUSTOMER_UNKNOWN"]');
    const refused = await page.textContent('#requests-list tr[data-error="CUSTOMER_UNKNOWN"]');
    assert.match(refused, /POST/);
    assert.match(refused, /\/subscribe\/payments\/again/);
    assert.equal(await page.getAttribute('#requests-list tr[data-error="CUSTOMER_UNKNOWN"]', 'data-code'), '1');
    assert.ok(await page.$('#requests-list tr[data-code="0"]'), 'successful calls show code 0');
    await page.screenshot({ path: shot('requests') });
    // filtered to refusals, then by path; live polling picks up a new call
    await page.check('#requests-form input[name="refused"]');
    await page.click('#requests-form button[type="submit"]');
    await page.waitForFunction(() => !document.querySelector('#requests-list tr[data-code="0"]'));
    await page.uncheck('#requests-form input[name="refused"]');
    await page.fill('#requests-form input[name="path"]', '/payments/find');
    await page.click('#requests-form button[type="submit"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#requests-list tr[data-seq]')]
      .every((tr) => tr.textContent.includes('/payments/find')));
    const before = await page.$$eval('#requests-list tr[data-seq]', (trs) => trs.length);
    await rest(env, 'GET', `/payments/find/${made.cancelled}`);
    await page.waitForFunction((n) => document.querySelectorAll('#requests-list tr[data-seq]').length > n,
      before, { timeout: 10000 });
    // a row opens to its bodies
    await page.click('#requests-list tr[data-seq]');
    await page.waitForSelector('#requests-list tr.more pre');
    await page.screenshot({ path: shot('request-bodies') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('scenarios: hit counts, switched off and on from the page', async () => {
    const { context, page, errors, calls } = await openDashboard(env, { hash: '#tab=scenarios' });
    const card = '#scenarios-list [data-scenario="dash-slow-lookup"]';
    await page.waitForSelector(card);
    const hits = async () => Number(await page.getAttribute(`${card} tbody tr`, 'data-hits'));
    assert.ok(await hits() >= 1, 'the lookup made in before() counted');
    await page.uncheck(`${card} input[role="switch"]`);
    await until(async () => (await admin(env, 'GET', '/__mock/scenarios')).json
      .find((s) => s.name === 'dash-slow-lookup').enabled === false, 'the scenario off');
    const off = await hits();
    await rest(env, 'GET', `/payments/find/${made.partial}`);
    const listed = (await admin(env, 'GET', '/__mock/scenarios')).json.find((s) => s.name === 'dash-slow-lookup');
    assert.equal(listed.rules[0].hits, off, 'a switched-off scenario counts nothing');
    await page.waitForSelector(`${card} .badge.off`);
    await page.screenshot({ path: shot('scenarios') });
    await page.check(`${card} input[role="switch"]`);
    await page.waitForSelector(`${card} .badge.on`);
    await rest(env, 'GET', `/payments/find/${made.partial}`);
    await until(async () => (await hits()) === off + 1, 'the hit counted again', 10000);
    const post = calls.find((c) => c.method === 'POST');
    assert.equal(post.headers['content-type'], 'application/json');
    assert.match(post.url, /\/__mock\/scenarios\/dash-slow-lookup\/enabled$/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('schedules: on the timeline; advancing the clock from the page runs one', async () => {
    const { context, page, errors } = await openDashboard(env, { hash: '#tab=schedules' });
    const mark = `#timeline .mark[data-merchant-uid="${made.schedule}"]`;
    await page.waitForSelector(mark);
    assert.equal(await page.getAttribute(mark, 'data-status'), 'scheduled');
    assert.match(await page.textContent('#clock-now'), /^2024-01-01 00:00:00 KST$/);
    assert.ok(await page.isVisible('#clock-frozen'));
    // the clock's line sits left of the mark a day ahead
    const nowX = (await page.locator('#timeline-now').boundingBox()).x;
    const markX = (await page.locator(mark).boundingBox()).x;
    assert.ok(nowX < markX, `now at ${nowX}, the schedule at ${markX}`);
    await page.screenshot({ path: shot('schedules-before') });

    await page.fill('#advance-n', '1');
    await page.selectOption('#advance-unit', '86400');
    await page.click('#advance');
    await page.waitForSelector(`${mark}[data-status="executed"]`, { timeout: 10000 });
    const row = await page.textContent(`#schedules-list tr[data-merchant-uid="${made.schedule}"]`);
    assert.match(row, /executed/);
    assert.match(row, /paid/);
    assert.match(await page.textContent('#clock-now'), /^2024-01-02 00:00:00 KST$/);
    const clock = await admin(env, 'GET', '/__mock/clock');
    assert.equal(clock.json.now, T0 + DAY);
    env.token = null; // a day later the access token has expired: ask for another
    const sched = (await rest(env, 'GET', `/subscribe/payments/schedule/${made.schedule}`)).json.response;
    assert.equal(sched.schedule_status, 'executed');
    assert.equal(sched.payment_status, 'paid');
    await until(() => env.merchant.hooks.some((h) => h.body.includes(made.schedule)), 'the schedule\'s webhook');
    await page.screenshot({ path: shot('schedules-after') });

    // its payment opens from the table
    await page.click(`#schedules-list tr[data-merchant-uid="${made.schedule}"] button.link`);
    await page.waitForFunction((imp) => document.querySelector('#detail-title').textContent.includes(imp),
      sched.imp_uid);
    await page.waitForSelector('#detail-webhooks tbody tr');
    await page.click('#detail-close');

    // set, unfreeze and freeze again
    await page.fill('#set-at', '2024-03-01T12:30');
    await page.click('#set');
    await page.waitForFunction(() => document.querySelector('#clock-now').textContent.startsWith('2024-03-01 12:30'));
    assert.equal((await admin(env, 'GET', '/__mock/clock')).json.now, Date.UTC(2024, 2, 1, 3, 30) / 1000);
    await page.click('#freeze'); // it was frozen: this runs it
    await until(async () => (await admin(env, 'GET', '/__mock/clock')).json.frozen === false, 'the clock running');
    await page.waitForSelector('#clock-frozen', { state: 'hidden' });
    await page.click('#freeze');
    await until(async () => (await admin(env, 'GET', '/__mock/clock')).json.frozen === true, 'the clock frozen');
    await page.waitForSelector('#clock-frozen', { state: 'visible' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Korean and English labels with a toggle', async () => {
    const { context, page, errors } = await openDashboard(env);
    await page.waitForSelector('#app:not([hidden])');
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.equal(await page.textContent('#tabs button[data-tab="payments"] [data-i18n]'), '결제');
    assert.equal(await page.textContent('#reset'), '가맹점 초기화');
    assert.equal(await page.textContent('#lang'), 'English');
    await page.waitForSelector(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    assert.match(await page.textContent(`#payments-list tr[data-imp-uid="${made.partialImp}"]`), /9,900원/);

    await page.click('#lang');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('#tabs button[data-tab="payments"] [data-i18n]'), 'Payments');
    assert.equal(await page.textContent('#reset'), 'Reset tenant');
    assert.equal(await page.textContent('#lang'), '한국어');
    await page.waitForFunction((imp) => document.querySelector(`#payments-list tr[data-imp-uid="${imp}"]`)
      ?.textContent.includes('₩9,900'), made.partialImp);
    assert.equal(await page.textContent('#payments-list th:nth-child(4)'), 'Amount');
    await page.screenshot({ path: shot('english') });

    // the choice is kept for the next visit; an English browser starts in English
    await page.reload();
    await page.waitForSelector('#app:not([hidden])');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await context.close();
    const en = await openDashboard(env, { locale: 'en-US' });
    await en.page.waitForSelector('#app:not([hidden])');
    assert.equal(await en.page.textContent('#tabs button[data-tab="schedules"] [data-i18n]'), 'Schedules');
    assert.deepEqual([...errors, ...en.errors], []);
    await en.context.close();
  });

  test('a phone-width screen: one column, cards instead of tables, no sideways scroll', async () => {
    const { context, page, errors } = await openDashboard(env, { viewport: PHONE });
    await page.waitForSelector(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    await assertNoOverflow(page, 'payments');
    // a row is a card: its cells stack, each with its label
    const cell = page.locator(`#payments-list tr[data-imp-uid="${made.partialImp}"] td`).nth(3);
    assert.equal(await cell.evaluate((td) => getComputedStyle(td).display), 'flex');
    assert.equal(await cell.evaluate((td) => getComputedStyle(td, '::before').content), '"금액"');
    const box = await page.locator(`#payments-list tr[data-imp-uid="${made.partialImp}"]`).boundingBox();
    assert.ok(box.width <= PHONE.width, `a card is ${box.width}px wide`);
    await page.screenshot({ path: shot('phone-payments'), fullPage: true });

    await page.click(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    await page.waitForSelector('#detail-cancels table');
    const drawer = await page.locator('#detail').boundingBox();
    assert.equal(Math.round(drawer.width), PHONE.width, 'the detail takes the whole width');
    await page.screenshot({ path: shot('phone-detail') });
    await page.click('#detail-close');

    await tab(page, 'schedules');
    await page.waitForSelector(`#timeline .mark[data-merchant-uid="${made.schedule}"]`);
    await assertNoOverflow(page, 'schedules');
    await page.screenshot({ path: shot('phone-schedules'), fullPage: true });
    await tab(page, 'requests');
    await page.waitForSelector('#requests-list tr[data-seq]');
    await assertNoOverflow(page, 'requests');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a virtual account waiting for its deposit gets a deposit button', async (t) => {
    const routes = (await admin(env, 'GET', '/__mock/routes')).json;
    if (!routes.some((r) => r.method === 'POST' && r.pattern === '/__mock/vbanks/{}/deposit')) {
      t.skip('this impmock has no POST /__mock/vbanks/{imp_uid}/deposit');
      return;
    }
    const clock = (await admin(env, 'GET', '/__mock/clock')).json.now;
    env.token = null; // the clock moved past the last token's life
    const order = uid('vbank');
    const r = await rest(env, 'POST', '/vbanks', {
      merchant_uid: order, amount: 33000, vbank_code: '088', vbank_due: clock + 3 * DAY,
      vbank_holder: '홍길동', name: '가상계좌 주문',
    });
    assert.equal(r.json.code, 0, JSON.stringify(r.json));
    const imp = r.json.response.imp_uid;
    const { context, page, errors } = await openDashboard(env);
    await page.waitForSelector(`#payments-list tr[data-imp-uid="${imp}"]`);
    await page.click(`#payments-list tr[data-imp-uid="${imp}"]`);
    await page.waitForSelector('#deposit');
    await page.screenshot({ path: shot('vbank') });
    await page.click('#deposit');
    await until(async () => (await rest(env, 'GET', `/payments/${imp}`)).json.response.status === 'paid',
      'the deposit');
    await page.waitForSelector('#deposit', { state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('reset a tenant: two clicks, then it holds only its fixtures', async () => {
    const { context, page, errors, calls } = await openDashboard(env);
    await page.waitForSelector(`#payments-list tr[data-imp-uid="${made.partialImp}"]`);
    await page.click('#reset');
    assert.match(await page.textContent('#reset'), /한 번 더/);
    assert.equal((await admin(env, 'GET', '/__mock/payments?limit=1')).json.total > 0, true,
      'one click resets nothing');
    await page.click('#reset');
    await page.waitForSelector('#payments-list .empty');
    assert.equal((await admin(env, 'GET', '/__mock/payments?imp_key=imp_apikey')).json.total, 0);
    const reset = calls.find((c) => c.method === 'POST' && c.url.includes('/__mock/reset'));
    assert.match(reset.url, /\?imp_key=imp_apikey$/);
    assert.equal(reset.headers['content-type'], 'application/json');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('dashboard with --admin-token', () => {
  const TOKEN = 'dash-admin-token-7';
  let env;

  before(async () => { env = await start({ args: ['--admin-token', TOKEN] }); }, { timeout: 60000 });
  after(async () => {
    const code = await env?.stop();
    assert.equal(code, 0, 'impmock exits cleanly');
  }, { timeout: 30000 });

  test('the pages load, the data needs the token: a login kept for the tab', async () => {
    // without the token the data endpoints answer 401 as before
    for (const p of ['/__mock/tenants', '/__mock/payments', '/__mock/customers', '/__mock/schedules',
      '/__mock/errors']) {
      const res = await fetch(`${env.mock.base}${p}`);
      assert.equal(res.status, 401, p);
      assert.match((await res.json()).error, /X-Admin-Token/);
    }
    const { context, page, errors, calls } = await openDashboard(env);
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.isVisible('#app'), false);
    await page.screenshot({ path: shot('login') });

    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector('#login-error:not([hidden])');
    assert.equal(await page.isVisible('#app'), false);

    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector('#app:not([hidden])');
    await page.waitForSelector('#payments-list .empty, #payments-list table');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('impmock.adminToken')), TOKEN);
    const data = calls.filter((c) => c.url.includes('/__mock/payments'));
    assert.ok(data.length > 0);
    assert.ok(data.every((c) => c.headers['x-admin-token'] === TOKEN));

    // a reload of the tab stays signed in; a new tab (another context) asks again
    await page.reload();
    await page.waitForSelector('#app:not([hidden])');
    assert.ok(await page.isVisible('#logout'));
    const other = await openDashboard(env);
    await other.page.waitForSelector('#login:not([hidden])');
    await other.context.close();

    // a state change from the page carries the token and JSON
    await page.fill('#advance-n', '2');
    await page.selectOption('#advance-unit', '3600');
    await page.click('#advance');
    await until(() => calls.some((c) => c.method === 'POST' && c.url.endsWith('/__mock/clock')), 'the advance');
    const post = calls.find((c) => c.method === 'POST');
    assert.equal(post.headers['x-admin-token'], TOKEN);
    assert.equal(post.headers['content-type'], 'application/json');

    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('impmock.adminToken')), null);
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    await context.close();
  });
});
