// iamport.cjs - the npm package `iamport`. Its base URL is not an option:
// the constructor copies the static Iamport.DEFAULT_HOST, so set that first.
'use strict';
const Iamport = require('iamport');
const { IMP_KEY, IMP_SECRET, url, attempt, report } = require('./common.cjs');

async function main() {
  if (url) Iamport.DEFAULT_HOST = url;
  const iamport = new Iamport({ impKey: IMP_KEY, impSecret: IMP_SECRET });
  const r = {};
  // no public getToken: the first call fetches one and keeps it in iamport.token
  r.lookup = await attempt(() => iamport.payment.getByImpUid({ imp_uid: 'imp_100000000002' }));
  r.token = iamport.token ? iamport.token.access_token : null;
  r.charge = await attempt(() =>
    iamport.subscribe.again({
      customer_uid: 'cust_0001', merchant_uid: 'sdk_charge_1', amount: 9900, name: '월 구독',
    }));
  r.cancel = await attempt(() =>
    iamport.payment.cancel({ merchant_uid: 'sdk_charge_1', amount: 4900, reason: '부분 환불' }));
  r.missing = await attempt(() => iamport.payment.getByImpUid({ imp_uid: 'imp_999999999999' }));
  report(r);
}
main();
