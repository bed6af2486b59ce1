// route-to-impmock.cjs - sends every https:// connection for api.iamport.kr
// to impmock's HTTPS listener, for a Node client whose base URL cannot be
// changed. Load it first: node --require ./route-to-impmock.cjs app.js.
//
//   IMPMOCK_TLS_ADDR=127.0.0.1:8443   where impmock serves HTTPS (required)
//
// Only the TCP connection moves, as a hosts entry plus a port mapping would
// do: the TLS name stays api.iamport.kr, so the certificate is checked
// against that name and must chain to a trusted CA (give impmock's with
// NODE_EXTRA_CA_CERTS). It works by replacing https.globalAgent, which every
// client here uses: `request`, axios and https.request without an agent.
'use strict';
const https = require('node:https');

const HOST = 'api.iamport.kr';
const addr = /^(.+):(\d+)$/.exec(process.env.IMPMOCK_TLS_ADDR || '');
if (!addr) {
  throw new Error('route-to-impmock: set IMPMOCK_TLS_ADDR=HOST:PORT (impmock --tls-port)');
}

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
