// route-to-impmock.cjs - sends every https:// connection for api.iamport.kr
// to impmock's HTTPS listener, for a Node client whose base URL cannot be
// changed. Load it first: node --require ./route-to-impmock.cjs app.js.
//
//   IMPMOCK_TLS_ADDR=127.0.0.1:8443   impmock's HTTPS listener: IP address and
//                                     port (required)
//
// Only the TCP connection moves, as a hosts entry plus a port mapping would
// do: the TLS name stays api.iamport.kr, so the certificate is checked
// against that name and must chain to a trusted CA (give impmock's with
// NODE_EXTRA_CA_CERTS). It works by replacing https.globalAgent, which every
// client here uses: `request`, axios and https.request without an agent.
// Name lookups of api.iamport.kr answer impmock's address too, so a client
// that brings an agent of its own fails on loopback instead of reaching the
// live API.
'use strict';
const dns = require('node:dns');
const https = require('node:https');
const net = require('node:net');

const HOST = 'api.iamport.kr';
const addr = /^(.+):(\d+)$/.exec(process.env.IMPMOCK_TLS_ADDR || '');
if (!addr || !net.isIP(addr[1])) {
  throw new Error('route-to-impmock: set IMPMOCK_TLS_ADDR=ADDRESS:PORT (impmock --tls-port)');
}
const family = net.isIP(addr[1]);

class ImpmockAgent extends https.Agent {
  createConnection(options, callback) {
    const host = options.host || options.hostname;
    if (host === HOST && Number(options.port || 443) === 443) {
      options = { ...options, host: addr[1], port: Number(addr[2]), servername: HOST };
    }
    return super.createConnection(options, callback);
  }
}

https.globalAgent = new ImpmockAgent({ keepAlive: true });

const lookup = dns.lookup;
dns.lookup = function lookupImpmock(hostname, options, callback) {
  if (String(hostname).toLowerCase().replace(/\.$/, '') !== HOST) {
    return lookup.apply(this, arguments);
  }
  const cb = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all;
  process.nextTick(() =>
    all ? cb(null, [{ address: addr[1], family }]) : cb(null, addr[1], family));
  return {};
};
