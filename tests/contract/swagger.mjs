// swagger.mjs - the official V1 Swagger as the contract: its operations,
// the HTTP statuses each lists, and its response schemas turned into JSON
// Schema for ajv. The Swagger has known defects; each is carried below as a
// named exception with its evidence, and every exception checks that the
// defect is still there, so none outlives the defect and a new one cannot
// slip in unnoticed (reference §16.0, §16.1).
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

const METHODS = ['get', 'post', 'put', 'delete'];

/* Where the Swagger is: IMPMOCK_OPENAPI, else shared/reference beside the
 * repository (or beside its parent, for a worktree one level down). */
export function swaggerPath(root) {
  const candidates = [
    process.env.IMPMOCK_OPENAPI,
    path.join(root, '..', 'shared', 'reference', 'iamport-v1-openapi.json'),
    path.join(root, '..', '..', 'shared', 'reference', 'iamport-v1-openapi.json'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no Swagger at ${candidates.join(' or ')} (set IMPMOCK_OPENAPI)`);
  return found;
}

export function loadSwagger(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/* "/payments/{imp_uid}" -> "/payments/{}", as the route table writes it. */
export const shape = (p) => p.replace(/\{[^}]*\}/g, '{}');

const ref = (name) => ({ $ref: `swagger.json#/definitions/${name}` });

/* Operations the official clients still call that the Swagger does not
 * list (reference §3.3, §3.4, §22, §23.4), with what they answer. */
export const LEGACY = [
  { method: 'GET', path: '/payments/find/{merchant_uid}',
    like: 'GET /payments/find/{merchant_uid}/{payment_status}' },
  { method: 'GET', path: '/payments/findAll/{merchant_uid}',
    like: 'GET /payments/findAll/{merchant_uid}/{payment_status}' },
  { method: 'GET', path: '/kakao/payment/orders', statuses: [200],
    // S-OAS keeps KakaoOrderResponse as an empty {} (§22): the envelope only
    schemas: { 200: ref('ResponseAnnotation') } },
  { method: 'POST', path: '/subscribe/payments/foreign',
    like: 'POST /subscribe/payments/onetime' },
];

/* The named exceptions. `holds(doc)` is true while the Swagger still has
 * the defect; the contract test fails on one that no longer holds. */
export const EXCEPTIONS = [
  {
    name: '401 on every authenticated operation',
    evidence: 'reference §16.0: GET /users/pg and the three schedule edits list no 401, but ' +
      'every official client handles a bad token as 401 (§1.4)',
    holds: (doc) => !doc.paths['/users/pg'].get.responses['401'] &&
      !doc.paths['/subscribe/payments/schedule/{merchant_uid}'].put.responses['401'],
  },
  {
    name: '404 for an unknown pre-registration',
    evidence: 'reference §3.8, §16.0: the live API answers GET ' +
      '/payments/prepare/{merchant_uid} of an unknown order with 404 (iamporter live test, ' +
      'S20); the Swagger lists 200 and 401 (docs/decisions.md)',
    holds: (doc) => !doc.paths['/payments/prepare/{merchant_uid}'].get.responses['404'],
  },
  {
    name: 'schedule lists are paged',
    evidence: 'reference §16.1, §7.4: the schema says an array of ScheduleResultAnnotation; ' +
      'the official Java, PHP and Node clients parse {total, previous, next, list}',
    holds: (doc) => doc.definitions.ScheduleResponse.allOf[1].properties.response.type === 'array',
  },
  {
    name: 'PaymentPrepareAnnotation requires fields it does not define',
    evidence: 'reference §16.1: required ["total", "previous", "next"] was copied from a paged ' +
      'schema; its fields are merchant_uid, amount, currency',
    holds: (doc) => (doc.definitions.PaymentPrepareAnnotation.required || []).includes('total'),
  },
  {
    name: 'required names without a property',
    evidence: 'the Swagger itself: VbankDepositAnnotation requires "reason" (reference §17.1), ' +
      'SucceededChannelAnnotation "update" and BenepiaPointAnnotation "bank_holder", none of ' +
      'which they define',
    holds: (doc) => undefinedRequired(doc).length > 0,
  },
  {
    name: 'billing-key answers written as properties',
    evidence: 'the Swagger itself: the 200 schema of GET, POST and DELETE ' +
      '/subscribe/customers/{customer_uid} is an object whose properties are named ' +
      'CustomerResponse and SuperBillingKeyResponse, meaning one of the two (a super billing ' +
      'key answers only with smart routing, reference §5.1); read as it is written it would ' +
      'accept any body',
    holds: (doc) => !!doc.paths['/subscribe/customers/{customer_uid}'].get.responses['200']
      .schema.properties?.CustomerResponse,
  },
  {
    name: 'numbers written as strings',
    evidence: 'the Swagger itself: maxLength is "32" (a string) for PaymentAnnotation.imp_uid ' +
      'and other fields; JSON Schema needs a number',
    holds: (doc) => typeof doc.definitions.PaymentAnnotation.properties.imp_uid.maxLength ===
      'string',
  },
  {
    name: 'null for a value not there',
    evidence: 'Swagger 2.0 has no null; the live API sends null for the optional fields it has ' +
      'no value for and message null on success (reference §1.2, §4: captured responses), ' +
      'so a property the schema does not require may be null. Two required ones may be too: ' +
      'CustomerAnnotation.card_name of a key without a card (a Kakao Money key; §5.1 "may be ' +
      'null for some PGs"), and PaymentCancelAnnotation.reason of a cancel sent without its ' +
      'optional reason (§3.7; the payment\'s cancel_reason is then null too, §4; ' +
      'docs/decisions.md)',
    holds: (doc) => !JSON.stringify(doc.definitions).includes('x-nullable'),
  },
];

/* [definition, property] pairs a definition requires but does not define. */
export function undefinedRequired(doc) {
  const out = [];
  for (const [name, def] of Object.entries(doc.definitions))
    for (const r of def.required || [])
      if (!def.properties || !(r in def.properties)) out.push([name, r]);
  return out;
}

/* Every operation: {key, method, path, statuses (the Swagger's), auth,
 * schemas {status: JSON Schema}}; the legacy ones last. */
export function operations(doc) {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const schemas = {};
      for (const [st, r] of Object.entries(op.responses))
        if (r.schema) schemas[st] = responseSchema(m.toUpperCase(), p, r.schema);
      ops.push({
        key: `${m.toUpperCase()} ${p}`,
        method: m.toUpperCase(),
        path: p,
        statuses: Object.keys(op.responses).map(Number).sort((a, b) => a - b),
        auth: p !== '/users/getToken',
        schemas,
      });
    }
  }
  for (const l of LEGACY) {
    const like = l.like ? ops.find((o) => o.key === l.like) : null;
    ops.push({
      key: `${l.method} ${l.path}`,
      method: l.method,
      path: l.path,
      statuses: like ? like.statuses : l.statuses,
      auth: true,
      schemas: like ? like.schemas : l.schemas,
      legacy: true,
    });
  }
  return ops;
}

const PAGED_SCHEDULES = {
  type: 'object',
  required: ['total', 'previous', 'next'],
  properties: {
    total: { type: 'integer' },
    previous: { type: 'integer' },
    next: { type: 'integer' },
    list: { type: 'array', items: ref('ScheduleResultAnnotation') },
  },
};

const SCHEDULE_LISTS = [
  'GET /subscribe/payments/schedule',
  'GET /subscribe/payments/schedule/customers/{customer_uid}',
  'GET /subscribe/customers/{customer_uid}/schedules',
];

/* One response schema, its refs pointing into swagger.json. */
function responseSchema(method, p, schema) {
  const key = `${method} ${p}`;
  if (SCHEDULE_LISTS.includes(key)) // exception: schedule lists are paged
    return { allOf: [ref('ResponseAnnotation'),
      { properties: { response: { anyOf: [PAGED_SCHEDULES, { type: 'null' }] } } }] };
  if (schema.properties?.CustomerResponse) // exception: answers written as properties
    return { anyOf: Object.values(schema.properties).map((s) => rewriteRefs(s)) };
  return rewriteRefs(schema);
}

function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === '$ref' ? v.replace('#/definitions/', 'swagger.json#/definitions/')
      : rewriteRefs(v);
  return out;
}

const NUMERIC = ['maxLength', 'minLength', 'maximum', 'minimum', 'maxItems', 'minItems'];
/* Required properties that may still be null (see the exception above). */
const NULLABLE_REQUIRED = {
  CustomerAnnotation: ['card_name'],
  PaymentCancelAnnotation: ['reason'],
};

/* A property schema that also takes null. */
function orNull(s) {
  if (s.type && typeof s.type === 'string') {
    const o = { ...s, type: [s.type, 'null'] };
    if (o.enum) o.enum = [...o.enum, null];
    return o;
  }
  return { anyOf: [s, { type: 'null' }] };
}

/* A definition (or part of one) as JSON Schema, with the exceptions applied. */
function convert(node, defName) {
  if (Array.isArray(node)) return node.map((n) => convert(n, defName));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-') || k === 'example' || k === 'description') continue;
    if (NUMERIC.includes(k) && typeof v === 'string') out[k] = Number(v); // numbers as strings
    else if (k === 'properties') out[k] = v; // converted below
    else out[k] = convert(v, defName);
  }
  if (node.properties) {
    const required = new Set(node.required || []);
    const nullable = new Set(NULLABLE_REQUIRED[defName] || []);
    out.properties = {};
    for (const [name, s] of Object.entries(node.properties)) {
      const c = convert(s, defName);
      out.properties[name] = !required.has(name) || nullable.has(name) ? orNull(c) : c;
    }
    if (out.required) // required names without a property are dropped
      out.required = out.required.filter((r) => r in node.properties);
  }
  return out;
}

/* ajv with the Swagger's definitions as "swagger.json". */
export function validator(doc) {
  const defs = {};
  for (const [name, def] of Object.entries(doc.definitions)) defs[name] = convert(def, name);
  delete defs.PaymentPrepareAnnotation.required; // exception: copied from a paged schema
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'swagger.json', definitions: defs });
  return ajv;
}

/* The envelope every refusal is: a code other than 0, a message, no response. */
export const REFUSAL = {
  type: 'object',
  required: ['code', 'message', 'response'],
  properties: {
    code: { type: 'integer', not: { const: 0 } },
    message: { type: 'string', minLength: 1 },
    response: { type: 'null' },
  },
};
