// iamporter.cjs - the npm package `iamporter`: `host` is a constructor option.
'use strict';
const { Iamporter } = require('iamporter');
const { IMP_KEY, IMP_SECRET, url, attempt, report } = require('./common.cjs');

async function main() {
  const options = { apiKey: IMP_KEY, secret: IMP_SECRET };
  if (url) options.host = url;
  const iamporter = new Iamporter(options);
  const r = {};
  const token = await attempt(() => iamporter.getToken());
  r.token = token.value ? token.value.data.access_token : token;
  // an answer is { status, message, data: the API's response, raw }
  r.lookup = await attempt(async () => (await iamporter.findByImpUid('imp_100000000002')).data);
  r.charge = await attempt(async () =>
    (await iamporter.paySubscription({
      customer_uid: 'cust_0001', merchant_uid: 'sdk_charge_1', amount: 9900, name: '월 구독',
    })).data);
  r.cancel = await attempt(async () =>
    (await iamporter.cancelByMerchantUid('sdk_charge_1', { amount: 4900, reason: '부분 환불' })).data);
  // a 404 is not an error to iamporter: it resolves with status 404
  r.missing = await attempt(() => iamporter.findByImpUid('imp_999999999999'));
  report(r);
}
main();
