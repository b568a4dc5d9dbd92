// Mallory's Probe: a hostile extension for the end-to-end tests only (HostileExtensionIT), never installed in the
// demo. Run sandboxed, it tries to reach other extensions' data and the host's credentials every way a script
// in its frame can, and reports each attempt as {name, blocked, detail}: `blocked` is true when the attempt
// failed (threw, was refused, or got nothing). The test then checks through the REST API and the other
// extensions' own panels that their data did not change.
import { getContext } from '@extension-storage/core';

const VICTIMS = [['globex', 'todo'], ['acme', 'notes']];
const TIERS = ['local', 'session', 'ephemeral', 'persistent'];
const WAIT_MS = 5000;

/** `{blocked: true}` when `fn` throws or rejects; otherwise what `judge` says of its result. */
async function attempt(fn, judge = () => false) {
  try {
    const result = await fn();
    return { blocked: judge(result), detail: `returned ${describe(result)}` };
  } catch (e) {
    return { blocked: true, detail: `${e && e.name}: ${e && (e.code || '')} ${e && e.message}` };
  }
}

function describe(v) {
  try {
    return typeof v === 'object' && v !== null && !(v instanceof Response) ? JSON.stringify(v).slice(0, 200)
      : v instanceof Response ? `HTTP ${v.status}` : String(v).slice(0, 200);
  } catch {
    return String(v);
  }
}

/** The MessagePort this frame's module talks to the host through, caught in the act of posting. */
async function capturePort() {
  const original = MessagePort.prototype.postMessage;
  let port = null;
  MessagePort.prototype.postMessage = function capture(...args) {
    port = this;
    return original.apply(this, args);
  };
  try {
    await getContext().storage.session.get('probe');
  } finally {
    MessagePort.prototype.postMessage = original;
  }
  return port;
}

/** Posts raw messages on the captured port and waits for the replies with their ids. */
function rawBridge(port) {
  const waiting = new Map();
  port.addEventListener('message', (e) => {
    const r = e.data;
    const w = r && waiting.get(r.id);
    if (w) {
      waiting.delete(r.id);
      w(r);
    }
  });
  let next = 1e9;
  return {
    ask(message) {
      const id = message.id === undefined ? ++next : message.id;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        setTimeout(() => { if (waiting.delete(id)) resolve({ id, timeout: true }); }, WAIT_MS);
        port.postMessage({ ...message, id });
      });
    },
  };
}

const refused = (r) => Boolean(r && r.error);

async function probes(key) {
  const out = [];
  const run = async (name, fn, judge) => out.push({ name, ...(await attempt(fn, judge)) });
  const ctx = getContext();

  // 1. other extensions' module instances: in this frame a fresh instance, bound to nothing
  for (const [p, n] of VICTIMS) {
    await run(`import core instance of ${p}.${n}`, async () => {
      const core = await import(/* webpackIgnore: true */ new URL(`/core/index.js?ext=${p}.${n}`, document.baseURI).href);
      return core.getContext().storage.persistent.get(key);
    });
    // a context of its own naming the victim: it has no credential and no Web Storage to use
    for (const tier of TIERS) {
      for (const credentials of ['same-origin', 'include']) {
        await run(`forged ${p}.${n} context ${tier} (${credentials})`, async () => {
          const core = await import(/* webpackIgnore: true */ new URL(`/core/index.js?forge=${p}`, document.baseURI).href);
          const forged = core.createExtensionContext({ publisher: p, name: n, user: { id: ctx.userId }, credentials });
          const area = forged.storage[tier];
          await area.set(key, 'pwned by mallory', { ttl: 60 });
          return area.get(key);
        });
      }
    }
  }

  // 2. the host's cookie, DOM and Web Storage
  await run('read document.cookie', () => document.cookie, (c) => c === '');
  await run('write document.cookie', () => { document.cookie = 'session=forged; path=/'; return document.cookie; },
    (c) => !String(c).includes('forged'));
  await run('read the parent DOM', () => window.parent.document.body.innerHTML);
  await run('read the top DOM', () => window.top.document.cookie);
  await run('read localStorage', () => window.localStorage.length);
  await run('read sessionStorage', () => window.sessionStorage.length);
  await run('read the host\'s localStorage', () => window.parent.localStorage.length);
  await run('read a sibling frame', () => {
    const frames = [];
    for (let i = 0; i < window.parent.frames.length; i++) {
      if (window.parent.frames[i] !== window) frames.push(window.parent.frames[i].document.body.innerHTML);
    }
    if (!frames.length) throw new Error('no sibling frame');
    return frames;
  });
  await run('open a window', () => window.open('/', '_blank'), (w) => w === null);
  await run('open the host\'s IndexedDB', () => new Promise((resolve, reject) => {
    const r = indexedDB.open('ext-storage');
    r.onsuccess = () => resolve('opened');
    r.onerror = () => reject(r.error);
  }));
  // the local tier's update lock of a victim's entry: held, it would stall the victim's updates
  await run('take a Web Lock of the host', () => navigator.locks.request(
    `ext-storage-update ext-storage:globex.todo:shared:${key}`, { ifAvailable: true }, (lock) => (lock ? 'held' : 'busy')));
  await run('open the host\'s Cache Storage', () => caches.keys());

  // 3. the API, with and without credentials
  const api = [
    ['GET', '/api/v1/me'],
    ['GET', '/api/v1/me/storage'],
    ['POST', '/api/v1/extensions/globex/todo/token'],
    ...VICTIMS.flatMap(([p, n]) => ['ephemeral', 'persistent'].flatMap((tier) => [
      ['GET', `/api/v1/extensions/${p}/${n}/storage/${tier}/${encodeURIComponent(key)}`],
      ['GET', `/api/v1/extensions/${p}/${n}/storage/${tier}/${encodeURIComponent(key)}?shared=true`],
      ['PUT', `/api/v1/extensions/${p}/${n}/storage/${tier}/${encodeURIComponent(key)}`],
      ['DELETE', `/api/v1/extensions/${p}/${n}/storage/${tier}/${encodeURIComponent(key)}?shared=true`],
    ])),
  ];
  for (const [method, path] of api) {
    for (const credentials of ['omit', 'same-origin', 'include']) {
      await run(`${method} ${path} (${credentials})`, () => fetch(new URL(path, document.baseURI), {
        method,
        credentials,
        headers: method === 'PUT' ? { 'Content-Type': 'application/json', 'X-CSRF-Token': 'guess' } : {},
        body: method === 'PUT' ? JSON.stringify({ value: 'pwned by mallory', ttl: 60 }) : undefined,
      }), (r) => !r.ok);
    }
  }

  // 4. the bridge itself, with forged messages on the module's own port
  const port = await capturePort();
  const bridge = rawBridge(port);
  const set = (tier, scope, extra = {}) => ({ tier, scope, method: 'set', args: [key, '"pwned by mallory"', 60], ...extra });
  const forged = [
    ['names another extension', set('persistent', 'user', { extension: 'globex.todo' })],
    ['names another publisher', set('local', 'user', { publisher: 'globex', name: 'todo' })],
    ['names another user', set('persistent', 'user', { user: 'someone-else' })],
    ['carries a token', set('persistent', 'shared', { token: 'forged' })],
    ['names an unknown tier', set('cookies', 'user')],
    ['names the tier in capitals', set('LOCAL', 'user')],
    ['names an unknown scope', set('local', 'global')],
    ['names another extension in the scope', set('local', 'globex.todo')],
    ['calls an unknown method', { tier: 'local', scope: 'user', method: 'purgeUninstalled', args: [[]] }],
    ['calls a prototype method', { tier: 'local', scope: 'user', method: 'constructor', args: [] }],
    ['passes an object argument', { tier: 'local', scope: 'user', method: 'get', args: [{ extension: 'globex.todo' }] }],
    ['a resource naming another extension', set('persistent', 'user', {
      resource: { type: 'chart', uuid: '0f8fad5b-d9cb-469f-a165-70867728950e', extension: 'globex.todo' } })],
    ['an oversized value', { tier: 'local', scope: 'user', method: 'set', args: [key, `"${'x'.repeat(3000000)}"`] }],
    ['an oversized key', { tier: 'session', scope: 'user', method: 'set', args: ['k'.repeat(300000), '1'] }],
    ['is not an object', 'set globex.todo'],
    ['has no usable id', { id: 'globex.todo', tier: 'local', scope: 'user', method: 'get', args: [key] }],
  ];
  for (const [name, message] of forged) {
    await run(`bridge message that ${name}`, () => (typeof message === 'string'
      ? new Promise((resolve) => {
        const listener = (e) => { if (e.data && e.data.id === null) { port.removeEventListener('message', listener); resolve(e.data); } };
        port.addEventListener('message', listener);
        port.postMessage(message);
      })
      : name === 'has no usable id' ? new Promise((resolve) => {
        const listener = (e) => { if (e.data && e.data.id === null) { port.removeEventListener('message', listener); resolve(e.data); } };
        port.addEventListener('message', listener);
        port.postMessage(message);
      }) : bridge.ask(message)), refused);
  }
  await run('too many bridge calls at once', async () => {
    const replies = await Promise.all(Array.from({ length: 400 },
      () => bridge.ask({ tier: 'persistent', scope: 'user', method: 'get', args: [key] })));
    return replies.filter((r) => r.error && r.error.code === 'RATE_LIMITED').length;
  }, (limited) => limited > 0);

  // 5. messages to the host window and to the other frames, offering them a port of Mallory's
  await run('offer the host and the other frames a port', () => new Promise((resolve) => {
    const channel = new MessageChannel();
    let heard = null;
    channel.port1.onmessage = (e) => { heard = e.data; };
    const offer = { type: 'extension-storage/port', publisher: 'globex', name: 'todo', user: { id: ctx.userId } };
    window.parent.postMessage(offer, '*');
    for (let i = 0; i < window.parent.frames.length; i++) {
      if (window.parent.frames[i] !== window) {
        const c = new MessageChannel();
        c.port1.onmessage = (e) => { heard = e.data; };
        window.parent.frames[i].postMessage({ ...offer, remoteEntry: 'data:text/javascript,' }, '*', [c.port2]);
      }
    }
    setTimeout(() => resolve(heard), 1000);
  }), (heard) => heard === null);

  // 6. its own data works: the bridge serves this extension (so the refusals above are not an outage)
  await ctx.storage.persistent.set(key, 'mallory\'s own');
  out.push({ name: 'control: own persistent entry', blocked: false, control: true,
    detail: String(await ctx.storage.persistent.get(key)) });
  // the key layout holds: a key that spells another extension's slot lands in Mallory's own namespace
  await ctx.storage.local.shared.set(`x:ext-storage:globex.todo:shared:${key}`, 'pwned by mallory');
  await ctx.storage.local.set(`x:ext-storage:globex.todo:user:${ctx.userId}:${key}`, 'pwned by mallory');

  // 7. last, as it would end the test if it worked: navigating the host page away (Chromium may refuse it
  // without throwing, so the test checks the host page's URL afterwards)
  await run('navigate the host page', () => { window.top.location.href = '/?pwned'; return 'checked by the test'; },
    () => true);
  return out;
}

export function mount(root) {
  const key = document.createElement('input');
  key.className = 'target-key';
  const start = document.createElement('button');
  start.className = 'run-probes';
  start.textContent = 'Run the probes';
  const report = document.createElement('pre');
  report.className = 'report';
  report.dataset.state = 'idle';
  start.onclick = async () => {
    report.dataset.state = 'running';
    try {
      report.textContent = JSON.stringify(await probes(key.value));
      report.dataset.state = 'done';
    } catch (e) {
      report.textContent = `the probes failed: ${e && e.stack}`;
      report.dataset.state = 'error';
    }
  };
  root.append(key, ' ', start, report);
}
