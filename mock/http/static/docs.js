/* docs.js - renders /__mock/openapi.json as a page: one section per tag,
 * one block per operation (method, path, summary, what it takes and what it
 * answers). Offline: no library, nothing loaded but this script, the style
 * sheet and the description. */
'use strict';

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) el.setAttribute(k, v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined) continue;
    el.append(typeof kid === 'string' ? document.createTextNode(kid) : kid);
  }
  return el;
}

/* Text where `code` spans are written `like this`. */
function prose(text) {
  const out = [];
  String(text).split(/(`[^`]+`)/).forEach((part) => {
    out.push(part.startsWith('`') && part.endsWith('`') ? h('code', null, part.slice(1, -1)) : part);
  });
  return out;
}

function resolve(spec, node) {
  let seen = 0;
  while (node && node.$ref && seen++ < 8) {
    node = node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => (o ? o[k] : undefined), spec);
  }
  return node || {};
}

/* A schema as a short JSON-like outline: properties with their types. */
function outline(spec, schema, depth) {
  schema = resolve(spec, schema);
  if (depth > 3) return '…';
  if (schema.type === 'array') return `[${outline(spec, schema.items || {}, depth + 1)}]`;
  if (schema.type === 'object' || schema.properties) {
    const props = Object.entries(schema.properties || {});
    if (!props.length) return schema.description ? `{} (${schema.description})` : '{…}';
    const pad = '  '.repeat(depth + 1);
    const req = new Set(schema.required || []);
    const lines = props.map(([k, v]) => {
      const r = resolve(spec, v);
      const note = r.description ? `  // ${r.description}` : '';
      const kind = r.enum ? r.enum.map((e) => JSON.stringify(e)).join(' | ')
        : (r.type === 'object' || r.type === 'array' || r.properties) ? outline(spec, r, depth + 1)
          : (r.type || 'any') + (r.nullable ? ' | null' : '');
      return `${pad}${k}${req.has(k) ? '' : '?'}: ${kind}${note}`;
    });
    return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
  }
  if (schema.enum) return schema.enum.map((e) => JSON.stringify(e)).join(' | ');
  return (schema.type || 'any') + (schema.nullable ? ' | null' : '');
}

function authOf(spec, op) {
  const sec = op.security || spec.security || [];
  const names = sec.flatMap((s) => Object.keys(s));
  if (names.includes('token')) return 'access token';
  if (names.includes('adminToken')) return 'X-Admin-Token with --admin-token';
  if (names.includes('windowKey')) return "the window's key";
  return 'none';
}

function operation(spec, path, method, item, op) {
  const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => resolve(spec, p));
  const block = h('section', { class: 'op', id: op.operationId },
    h('h3', null, h('span', { class: `method ${method}` }, method.toUpperCase()), ' ',
      h('code', { class: 'path' }, path)),
    h('p', null, op.summary || ''),
    op.description ? h('p', { class: 'muted' }, prose(op.description)) : null,
    h('p', { class: 'muted' }, `Credentials: ${authOf(spec, op)}`));
  if (params.length) {
    block.append(h('table', { class: 'params' },
      h('thead', null, h('tr', null, h('th', null, 'parameter'), h('th', null, 'in'), h('th', null, 'type'), h('th', null, ''))),
      h('tbody', null, params.map((p) => h('tr', null,
        h('td', null, h('code', null, p.name)), h('td', null, p.in),
        h('td', null, (p.schema && p.schema.type) || ''), h('td', null, p.description || ''))))));
  }
  if (op.requestBody) {
    const types = Object.keys(op.requestBody.content || {});
    const schema = (op.requestBody.content[types[0]] || {}).schema;
    block.append(h('h4', null, `Body (${types.join(', ')})`), h('pre', null, outline(spec, schema || {}, 0)));
  }
  const answers = Object.entries(op.responses || {});
  block.append(h('h4', null, 'Answers'), h('ul', { class: 'answers' }, answers.map(([code, r]) => {
    const shared = Boolean(r.$ref); /* a shape of "Shapes" above: named, not repeated */
    const resp = resolve(spec, r);
    const content = resp.content || {};
    const type = Object.keys(content)[0];
    const schema = type ? content[type].schema : null;
    const shown = !shared && schema && (schema.$ref || schema.type === 'object' || schema.type === 'array')
      ? h('pre', null, outline(spec, schema, 0)) : null;
    return h('li', null, h('span', { class: `badge s${code[0]}xx` }, code), ' ', resp.description || '',
      type ? h('span', { class: 'muted' }, ` (${type})`) : null, shown);
  })));
  return block;
}

async function main() {
  let spec;
  try {
    const res = await fetch('/__mock/openapi.json', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    spec = await res.json();
  } catch (e) {
    const failed = document.getElementById('failed');
    failed.textContent = `Could not read /__mock/openapi.json: ${e.message}`;
    failed.hidden = false;
    return;
  }
  document.getElementById('title').textContent = `${spec.info.title} ${spec.info.version}`;
  const intro = document.getElementById('intro');
  intro.replaceChildren(...prose(spec.info.description || ''));
  const byTag = new Map((spec.tags || []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(spec, path, method, item, op));
    }
  }
  const toc = document.getElementById('toc');
  const ops = document.getElementById('ops');
  /* the shared answers once, before the operations that name them */
  const shapes = Object.entries((spec.components && spec.components.responses) || {});
  if (shapes.length) {
    toc.append(h('a', { href: '#shapes' }, 'Shapes'), ' ');
    ops.append(h('section', { class: 'tag', id: 'shapes' }, h('h2', null, 'Shapes'),
      shapes.map(([name, r]) => {
        const content = r.content || {};
        const type = Object.keys(content)[0];
        return h('section', { class: 'op', id: `shape-${name}` }, h('h3', null, name),
          h('p', null, r.description || ''),
          type ? h('pre', null, outline(spec, content[type].schema || {}, 0)) : null);
      })));
  }
  let i = 0;
  for (const [tag, blocks] of byTag) {
    if (!blocks.length) continue;
    const id = `tag-${i++}`;
    toc.append(h('a', { href: `#${id}` }, `${tag} (${blocks.length})`), ' ');
    ops.append(h('section', { class: 'tag', id }, h('h2', null, tag), blocks));
  }
}

main();
