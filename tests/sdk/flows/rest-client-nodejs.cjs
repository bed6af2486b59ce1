// rest-client-nodejs.cjs - the npm package `iamport-rest-client-nodejs`:
// `baseUrl` is a constructor option; calls are request objects run against
// the client with .request(iamport).
'use strict';
const { Iamport, Request } = require('iamport-rest-client-nodejs');
const { IMP_KEY, IMP_SECRET, url, attempt, report } = require('./common.cjs');

const { Authenticate, Payments, Subscribe } = Request;

async function main() {
  const iamport = new Iamport({ apiKey: IMP_KEY, apiSecret: IMP_SECRET, baseUrl: url });
  const r = {};
  const token = await attempt(() =>
    Authenticate.getToken({ imp_key: IMP_KEY, imp_secret: IMP_SECRET }).request(iamport));
  r.token = token.value ? token.value.data.response.access_token : token;
  r.lookup = await attempt(async () =>
    (await Payments.getByImpUid({ imp_uid: 'imp_100000000002' }).request(iamport)).data.response);
  r.charge = await attempt(async () =>
    (await Subscribe.again({
      customer_uid: 'cust_0001', merchant_uid: 'sdk_charge_1', amount: 9900, name: '월 구독',
    }).request(iamport)).data.response);
  r.cancel = await attempt(async () =>
    (await Payments.cancel({ merchant_uid: 'sdk_charge_1', amount: 4900, reason: '부분 환불' })
      .request(iamport)).data.response);
  r.missing = await attempt(() => Payments.getByImpUid({ imp_uid: 'imp_999999999999' }).request(iamport));
  report(r);
}
main();
