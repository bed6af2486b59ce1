// common.cjs - what every flow shares. A flow is a small program that uses
// one published client the way a merchant's server does (the README's
// snippet for that client), then prints what each call gave as one JSON
// object on standard output for the test to check.
//
//   IMPMOCK_URL   impmock's base URL, given to the client as its option;
//                 unset: the client keeps its default, https://api.iamport.kr
//                 (reached through route-to-impmock.cjs)
'use strict';

exports.IMP_KEY = 'imp_apikey';
exports.IMP_SECRET =
  'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f';
exports.url = process.env.IMPMOCK_URL || undefined;

const CALL_TIMEOUT_MS = 10000;

/* What a rejected call carried, whatever shape the client gives it. */
function describeError(e) {
  const out = { error: String((e && e.message) || e) };
  if (e && e.code !== undefined) out.code = e.code;
  if (e && e.status !== undefined) out.status = e.status;
  const res = e && e.response;
  if (res && res.status !== undefined) out.status = res.status;
  const data = res && res.data;
  if (data && typeof data === 'object' && 'code' in data) {
    out.api_code = data.code;
    out.api_message = data.message;
  }
  return out;
}

/* Runs one call, bounded in time: { value } or { error, ... }. */
exports.attempt = async (fn) => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  try {
    return { value: await Promise.race([fn(), timeout]) };
  } catch (e) {
    return describeError(e);
  } finally {
    clearTimeout(timer);
  }
};

/* Prints the results and ends the process (keep-alive sockets included). */
exports.report = (results) => {
  process.stdout.write(JSON.stringify(results), () => process.exit(0));
};
