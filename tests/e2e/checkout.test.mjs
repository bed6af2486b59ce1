// checkout.test.mjs - the browser half end to end: a merchant page on its
// own origin loads impmock's /v1/iamport.js, calls IMP.request_pay, a person
// (playwright) uses the Kakao Pay window, and each test checks both what the
// page received (callback rsp or m_redirect_url query) and what the REST API
// then reports for the payment.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test as nodeTest } from 'node:test';
import {
  MOBILE_UA, admin, artifacts, kakaoWindow, merchantTab, payment, requestPay, rest, root, start,
  until,
} from './harness.mjs';

// every test is bounded: a window nobody answers must fail the test, not hang the run
const test = (name, fn) => nodeTest(name, { timeout: 60000 }, fn);

let env;
let seq = 0;
const uid = (what) => `e2e_${what}_${process.pid}_${++seq}`;

before(async () => { env = await start(); }, { timeout: 60000 });
after(async () => {
  const code = await env?.stop();
  assert.equal(code, 0, 'impmock exits cleanly');
}, { timeout: 30000 });

const IMP_UID = /^imp_\d{12}$/;
const TID = /^T[0-9a-f]{19}$/;

function order(extra = {}) {
  return {
    pg: 'kakaopay',
    pay_method: 'card',
    merchant_uid: uid('order'),
    name: '무선 기계식 키보드',
    amount: 64000,
    buyer_name: '홍길동',
    buyer_email: 'hong@example.com',
    buyer_tel: '010-1234-5678',
    ...extra,
  };
}

test('PC: approve with a card, callback rsp and REST agree', async () => {
  const { context, page, errors } = await merchantTab(env);
  const params = order({ notice_url: `${env.merchant.origin}/hook`, custom_data: { plan: 'a' } });
  const paid = requestPay(page, params);
  const frame = await kakaoWindow(page);

  // what a person sees: merchant, order, amount, both methods
  assert.equal(await frame.textContent('#merchant'), 'impmock 테스트 상점');
  assert.equal(await frame.textContent('#order-name'), '무선 기계식 키보드');
  assert.equal(await frame.textContent('#amount'), '64,000원');
  await frame.getByRole('radio', { name: /카드/ }).check();
  await frame.selectOption('#card', { index: 0 });
  await page.screenshot({ path: path.join(artifacts, 'window-pc.png') });

  // while the window is open the payment exists as ready
  const windowUrl = await page.evaluate(() => new URL(
    document.querySelector('iframe[title="카카오페이 결제창"]').src));
  const windowPath = windowUrl.pathname;
  assert.match(windowPath, /^\/checkout\/window\/[0-9a-f]{32}$/);
  // the window's key rides in the fragment; its calls carry it
  const key = new URLSearchParams(windowUrl.hash.slice(1)).get('window_key');
  const session = await admin(env, 'GET', windowPath.replace('/window/', '/session/'), undefined,
    { 'X-Impmock-Window': key });
  const ready = await payment(env, session.json.response.imp_uid);
  assert.equal(ready.status, 'ready');
  assert.equal(ready.channel, 'pc');
  assert.match(ready.imp_uid, IMP_UID);
  assert.match(ready.pg_tid, TID);

  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  const rsp = await paid;
  assert.equal(rsp.success, true);
  assert.equal(rsp.error_code, null);
  assert.match(rsp.imp_uid, IMP_UID);
  assert.equal(rsp.merchant_uid, params.merchant_uid);
  assert.equal(rsp.pay_method, 'card');
  assert.equal(rsp.paid_amount, 64000);
  assert.equal(rsp.status, 'paid');
  assert.equal(rsp.pg_provider, 'kakaopay');
  assert.equal(rsp.pg_type, 'payment');
  assert.match(rsp.pg_tid, TID);
  assert.equal(rsp.card_name, '신한카드');
  assert.deepEqual(rsp.custom_data, { plan: 'a' });
  for (const f of ['name', 'currency', 'apply_num', 'buyer_name', 'buyer_email', 'buyer_tel',
    'buyer_addr', 'buyer_postcode', 'paid_at', 'receipt_url', 'card_number', 'card_quota',
    'bank_name', 'vbank_num', 'vbank_name', 'vbank_holder', 'vbank_date']) {
    assert.ok(f in rsp, `rsp has ${f}`);
  }
  assert.equal(await page.locator('[data-impmock-overlay]').count(), 0, 'overlay closed');

  const p = await payment(env, rsp.imp_uid);
  assert.equal(p.status, 'paid');
  assert.equal(p.channel, 'pc');
  assert.equal(p.pg_provider, 'kakaopay');
  assert.equal(p.pg_id, 'TC0ONETIME');
  assert.equal(p.pg_tid, rsp.pg_tid);
  assert.equal(p.pay_method, 'card');
  assert.equal(p.card_name, '신한카드');
  assert.equal(p.amount, 64000);
  assert.match(p.user_agent, /HeadlessChrome/);
  assert.equal(p.custom_data, '{"plan":"a"}');
  assert.match(p.receipt_url,
    new RegExp(`^https://mockup-pg-web\\.kakao\\.com/v1/confirmation/p/${p.pg_tid}/[0-9a-f]{64}$`));

  // the paid webhook reached the merchant's notice_url
  const hook = await until(() => env.merchant.hooks.find((h) => h.body.includes(rsp.imp_uid)),
    'the paid webhook');
  assert.deepEqual(JSON.parse(hook.body),
    { imp_uid: rsp.imp_uid, merchant_uid: params.merchant_uid, status: 'paid' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('PC: approve with Kakao Money', async () => {
  const { context, page } = await merchantTab(env);
  const paid = requestPay(page, order({ amount: 500 }));
  const frame = await kakaoWindow(page);
  await frame.getByRole('radio', { name: /카카오머니/ }).check();
  assert.equal(await frame.isVisible('#card'), false, 'no card choice for Kakao Money');
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  const rsp = await paid;
  assert.equal(rsp.success, true);
  assert.equal(rsp.pay_method, 'point');
  assert.equal(rsp.card_name, null);
  assert.equal(rsp.apply_num, '');
  const p = await payment(env, rsp.imp_uid);
  assert.equal(p.status, 'paid');
  assert.equal(p.pay_method, 'point');
  assert.equal(p.card_name, null);
  assert.equal(p.card_number, null);
  assert.equal(p.card_quota, 0);
  await context.close();
});

test('PC: cancel ends the payment failed', async () => {
  const { context, page } = await merchantTab(env);
  const params = order();
  const done = requestPay(page, params);
  const frame = await kakaoWindow(page);
  await frame.getByRole('button', { name: 'Cancel 취소' }).click();
  const rsp = await done;
  assert.equal(rsp.success, false);
  assert.equal(rsp.error_msg, '사용자가 결제를 취소하셨습니다');
  assert.ok(rsp.error_code);
  assert.match(rsp.imp_uid, IMP_UID);
  const p = await payment(env, rsp.imp_uid);
  assert.equal(p.status, 'failed');
  assert.equal(p.fail_reason, '사용자가 결제를 취소하셨습니다');
  assert.ok(p.failed_at > 0);
  // no webhook for an ordinary failure (reference §8)
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.merchant.hooks.some((h) => h.body.includes(rsp.imp_uid)), false);
  await context.close();
});

test('PC: the close button cancels too; a declining test card fails', async () => {
  const { context, page } = await merchantTab(env);
  let done = requestPay(page, order());
  let frame = await kakaoWindow(page);
  await frame.getByRole('button', { name: 'Close 닫기' }).click();
  let rsp = await done;
  assert.equal(rsp.error_msg, '사용자가 결제를 취소하셨습니다');

  done = requestPay(page, order());
  frame = await kakaoWindow(page);
  await frame.selectOption('#card', { label: 'KB국민카드 (0002) 신용' });
  assert.match(await frame.textContent('#card-hint'), /거절/);
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  rsp = await done;
  assert.equal(rsp.success, false);
  assert.equal(rsp.error_msg, '[F601]거래거절 카드사 승인거절');
  assert.equal((await payment(env, rsp.imp_uid)).status, 'failed');
  await context.close();
});

test('mobile: approval redirects to m_redirect_url with imp_success=true', async () => {
  const { context, page } = await merchantTab(env, {
    userAgent: MOBILE_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  const params = order({ m_redirect_url: '/return?from=app' });
  await page.evaluate((p) => { window.IMP.request_pay(p); }, params);
  await page.waitForURL(/\/checkout\/window\/[0-9a-f]{32}$/, { timeout: 10000 });
  await page.waitForSelector('#form:not([hidden])');
  await page.screenshot({ path: path.join(artifacts, 'window-mobile.png') });
  await page.getByRole('radio', { name: /카카오머니/ }).check();
  await page.getByRole('button', { name: 'Approve 결제하기' }).click();
  await page.waitForURL((u) => u.pathname === '/return', { timeout: 10000 });
  const q = new URL(page.url()).searchParams;
  assert.equal(new URL(page.url()).origin, env.merchant.origin);
  assert.equal(q.get('from'), 'app');
  assert.equal(q.get('imp_success'), 'true');
  assert.equal(q.get('merchant_uid'), params.merchant_uid);
  assert.match(q.get('imp_uid'), IMP_UID);
  assert.equal(q.get('error_msg'), null);
  const p = await payment(env, q.get('imp_uid'));
  assert.equal(p.status, 'paid');
  assert.equal(p.channel, 'mobile');
  assert.equal(p.pay_method, 'point');
  assert.match(p.receipt_url, /\/v1\/confirmation\/m\/T[0-9a-f]{19}\/[0-9a-f]{64}$/);
  assert.match(p.user_agent, /iPhone/);
  await context.close();
});

test('mobile: cancel redirects with imp_success=false and the error', async () => {
  const { context, page } = await merchantTab(env, { userAgent: MOBILE_UA,
    viewport: { width: 390, height: 844 } });
  const params = order({ m_redirect_url: `${env.merchant.origin}/return` });
  await page.evaluate((p) => { window.IMP.request_pay(p); }, params);
  await page.waitForURL(/\/checkout\/window\//, { timeout: 10000 });
  await page.getByRole('button', { name: 'Cancel 취소' }).click();
  await page.waitForURL((u) => u.pathname === '/return', { timeout: 10000 });
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('imp_success'), 'false');
  assert.equal(q.get('error_msg'), '사용자가 결제를 취소하셨습니다');
  assert.ok(q.get('error_code'));
  assert.equal(q.get('merchant_uid'), params.merchant_uid);
  const p = await payment(env, q.get('imp_uid'));
  assert.equal(p.status, 'failed');
  assert.equal(p.channel, 'mobile');
  await context.close();
});

test('mobile with kakaopayMobileAsPC: the PC overlay and the callback', async () => {
  const { context, page } = await merchantTab(env, { userAgent: MOBILE_UA,
    viewport: { width: 390, height: 844 } });
  const paid = requestPay(page, order({ m_redirect_url: '/return', kakaopayMobileAsPC: true }));
  const frame = await kakaoWindow(page);
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  const rsp = await paid;
  assert.equal(rsp.success, true);
  assert.equal(new URL(page.url()).pathname, '/pay.html', 'no redirect');
  assert.equal((await payment(env, rsp.imp_uid)).channel, 'pc');
  await context.close();
});

test('billing key: 0-won issuance, then a REST again charge', async () => {
  const { context, page } = await merchantTab(env);
  const customerUid = uid('cust');
  const done = requestPay(page, {
    pg: 'kakaopay.TCSUBSCRIP', merchant_uid: uid('issue'), customer_uid: customerUid,
    name: '최초인증결제', amount: 0, buyer_name: '김철수',
  });
  const frame = await kakaoWindow(page);
  assert.equal(await frame.textContent('#amount'), '0원');
  assert.equal(await frame.isVisible('#badge'), true);
  await frame.getByRole('radio', { name: /카드/ }).check();
  await frame.selectOption('#card', { label: 'KB국민카드 (0002) 신용' }); // a declining card's hint
  await page.screenshot({ path: path.join(artifacts, 'window-issue-key.png') });
  await frame.selectOption('#card', { index: 0 });
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  const rsp = await done;
  assert.equal(rsp.success, true);
  assert.equal(rsp.paid_amount, 0);

  const issued = await payment(env, rsp.imp_uid);
  assert.equal(issued.status, 'paid');
  assert.equal(issued.amount, 0);
  assert.equal(issued.customer_uid, customerUid);
  assert.equal(issued.customer_uid_usage, 'issue');
  assert.equal(issued.pg_id, 'TCSUBSCRIP');

  const key = await rest(env, 'GET', `/subscribe/customers/${customerUid}`);
  assert.equal(key.json.code, 0);
  assert.equal(key.json.response.pg_provider, 'kakaopay');
  assert.equal(key.json.response.pg_id, 'TCSUBSCRIP');
  assert.equal(key.json.response.customer_name, '김철수');

  const again = await rest(env, 'POST', '/subscribe/payments/again', {
    customer_uid: customerUid, merchant_uid: uid('month1'), amount: 9900, name: '월간 이용권',
  });
  assert.equal(again.json.code, 0);
  const charge = again.json.response;
  assert.equal(charge.status, 'paid');
  assert.equal(charge.amount, 9900);
  assert.equal(charge.pg_provider, 'kakaopay');
  assert.equal(charge.pg_id, 'TCSUBSCRIP');
  assert.equal(charge.pay_method, 'card');
  assert.equal(charge.customer_uid_usage, 'payment');
  await context.close();
});

test('duplicate merchant_uid: refused before any window opens', async () => {
  const { context, page } = await merchantTab(env);
  const params = order({ amount: 1000 });
  const first = requestPay(page, params);
  const frame = await kakaoWindow(page);
  await frame.getByRole('radio', { name: /카카오머니/ }).check();
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  assert.equal((await first).success, true);

  const rsp = await requestPay(page, params);
  assert.equal(rsp.success, false);
  assert.equal(rsp.error_msg, '이미 결제가 이루어진 거래건입니다.');
  assert.equal(rsp.imp_uid, null);
  assert.equal(rsp.merchant_uid, params.merchant_uid);
  assert.equal(await page.locator('[data-impmock-overlay]').count(), 0, 'no window opened');
  const all = await rest(env, 'GET', `/payments/findAll/${params.merchant_uid}`);
  assert.equal(all.json.response.total, 1, 'no second payment');
  await context.close();
});

test('prepare mismatch: refused before any window opens', async () => {
  const { context, page } = await merchantTab(env);
  const params = order({ amount: 5000 });
  const prep = await rest(env, 'POST', '/payments/prepare',
    { merchant_uid: params.merchant_uid, amount: 50000 });
  assert.equal(prep.json.code, 0);
  const rsp = await requestPay(page, params);
  assert.equal(rsp.success, false);
  assert.equal(rsp.imp_uid, null);
  assert.equal(rsp.error_msg, '사전 등록된 결제 금액과 요청 금액이 일치하지 않습니다.');
  assert.equal(await page.locator('[data-impmock-overlay]').count(), 0);
  const all = await rest(env, 'GET', `/payments/findAll/${params.merchant_uid}`);
  assert.equal(all.status, 404, 'nothing stored');
  await context.close();
});

test('validation: amount as a string, unknown merchant code, unsupported calls', async () => {
  const { context, page } = await merchantTab(env);
  let rsp = await requestPay(page, order({ amount: '64000' }));
  assert.equal(rsp.success, false);
  assert.equal(rsp.imp_uid, null);
  assert.equal(rsp.error_msg, 'amount 파라미터는 숫자여야 합니다 (문자열 불가).');

  rsp = await requestPay(page, { pg: 'kakaopay', amount: 1000 });
  assert.equal(rsp.error_msg, 'merchant_uid 파라미터는 필수입니다.');

  rsp = await page.evaluate(() => new Promise((resolve) => {
    window.IMP.certification({ merchant_uid: 'c1' }, resolve);
  }));
  assert.equal(rsp.success, false);
  assert.equal(rsp.error_code, 'NOT_SUPPORTED');
  assert.match(rsp.error_msg, /IMP\.certification/);

  await page.evaluate(() => window.IMP.init('imp99999999'));
  rsp = await requestPay(page, order());
  assert.equal(rsp.success, false);
  assert.equal(rsp.error_code, 'CHECKOUT_UNKNOWN_MERCHANT');
  assert.match(rsp.error_msg, /imp99999999/);
  await context.close();
});

test('scenario: the window approves by itself, no click', async () => {
  const file = JSON.parse(fs.readFileSync(
    path.join(root, 'scenarios', 'window-auto-approve.json'), 'utf8'));
  const loaded = await admin(env, 'POST', '/__mock/scenarios', file);
  assert.equal(loaded.status, 200);
  try {
    const { context, page } = await merchantTab(env);
    const params = order();
    const rsp = await requestPay(page, params); // nobody touches the window
    assert.equal(rsp.success, true);
    assert.equal(rsp.pay_method, 'card');
    assert.equal(rsp.merchant_uid, params.merchant_uid);
    const p = await payment(env, rsp.imp_uid);
    assert.equal(p.status, 'paid');
    assert.equal(p.card_name, '신한카드');
    await context.close();
  } finally {
    await admin(env, 'DELETE', '/__mock/scenarios?name=window-auto-approve');
  }
});

test('scenario: the buyer gives up, or the window hangs', async () => {
  const file = JSON.parse(fs.readFileSync(
    path.join(root, 'scenarios', 'window-buyer-gives-up.json'), 'utf8'));
  assert.equal((await admin(env, 'POST', '/__mock/scenarios', file)).status, 200);
  try {
    const { context, page } = await merchantTab(env);
    const rsp = await requestPay(page, order({ merchant_uid: `abandon-${process.pid}-${++seq}` }));
    assert.equal(rsp.error_msg, '사용자가 결제를 취소하셨습니다');
    assert.equal((await payment(env, rsp.imp_uid)).status, 'failed');

    const stuck = order({ merchant_uid: `stuck-${process.pid}-${++seq}` });
    let called = false;
    requestPay(page, stuck).then(() => { called = true; }, () => {});
    const frame = await page.waitForSelector('iframe[title="카카오페이 결제창"]')
      .then((h) => h.contentFrame());
    await frame.waitForSelector('#auto:not([hidden])');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(called, false, 'a hanging window never calls back');
    const all = await rest(env, 'GET', `/payments/findAll/${stuck.merchant_uid}`);
    assert.equal(all.json.response.list[0].status, 'ready');
    await context.close();
  } finally {
    await admin(env, 'DELETE', '/__mock/scenarios?name=window-buyer-gives-up');
  }
});

test('scenario: the callback waits for the webhook (before_redirect)', async () => {
  const scenario = { name: 'e2e-hook-first', description: 'webhook answered before the callback',
    rules: [{ when: { op: 'webhook' }, then: { webhook: 'before_redirect' } }] };
  assert.equal((await admin(env, 'POST', '/__mock/scenarios', scenario)).status, 200);
  env.merchant.state.hookDelayMs = 700;
  try {
    const { context, page } = await merchantTab(env);
    const paid = requestPay(page, order({ notice_url: `${env.merchant.origin}/hook` }));
    const frame = await kakaoWindow(page);
    await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
    const rsp = await paid;
    const at = Date.now();
    const hook = env.merchant.hooks.find((h) => h.body.includes(rsp.imp_uid));
    assert.ok(hook, 'the webhook was answered before the callback ran');
    assert.ok(hook.answeredAt <= at);
    await context.close();
  } finally {
    env.merchant.state.hookDelayMs = 0;
    await admin(env, 'DELETE', '/__mock/scenarios?name=e2e-hook-first');
  }
});

test('example shop: one-time payment and subscription sign-up', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.mock.base}/examples/shop`);
  await page.getByRole('button', { name: '카카오페이로 결제하기' }).click();
  let frame = await kakaoWindow(page);
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  await page.waitForFunction(() => document.getElementById('verify').textContent.includes('paid'),
    null, { timeout: 10000 });
  assert.match(await page.textContent('#status'), /성공/);

  await page.getByRole('button', { name: /정기결제 등록하기/ }).click();
  frame = await kakaoWindow(page);
  await frame.getByRole('radio', { name: /카카오머니/ }).check();
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  await page.waitForFunction(() => document.getElementById('verify').textContent.includes('issue'),
    null, { timeout: 10000 });
  await page.getByRole('button', { name: /첫 달 청구하기/ }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('paid'),
    null, { timeout: 10000 });
  assert.match(await page.textContent('#status'), /paid \(point\)/);
  await page.screenshot({ path: path.join(artifacts, 'example-shop.png'), fullPage: true });
  await context.close();
});
