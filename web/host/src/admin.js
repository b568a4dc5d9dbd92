// The administration panel of the demo host, shown to administrators only: every extension holding server data,
// its usage drawn as bars against its quotas, and a purge behind a confirmation. Thin glue over the REST routes
// (GET /api/v1/admin/extensions, DELETE /api/v1/admin/extensions/{publisher}/{name}/storage); whether the user
// is an administrator is the server's answer to the first (403 otherwise), not a guess from the roles.

const TIERS = ['persistent', 'ephemeral'];

function element(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function kib(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** One bar: `bytes` of `quota`, with its figures as text and as data attributes (for tests and scripts). */
function bar(label, bytes, quota, entries) {
  const pct = quota > 0 ? Math.min(100, (100 * bytes) / quota) : 0;
  const fill = element('div', { className: 'bar-fill' });
  // a sliver for any data at all: a few KiB of 100 MiB would otherwise draw as nothing
  fill.style.width = `${bytes > 0 ? Math.max(pct, 1).toFixed(2) : 0}%`;
  const row = element('div', { className: 'usage-bar' },
    element('span', { className: 'bar-label', textContent: label }),
    element('div', { className: 'bar-track', title: `${pct.toFixed(1)} % of ${kib(quota)}` }, fill),
    element('span', { className: 'bar-text', textContent: `${kib(bytes)} of ${kib(quota)}, ${entries} entries` }));
  Object.assign(row.dataset, { bytes: String(bytes), quota: String(quota), entries: String(entries) });
  return row;
}

async function send(method, url, session) {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: method === 'GET' ? {} : { 'X-CSRF-Token': session.csrf },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function row(extension, session, panel) {
  const item = element('li', { className: 'admin-extension' });
  item.dataset.extension = extension.extension;
  const title = element('h3', { textContent: `${extension.extension} ` },
    element('small', { textContent: extension.installed ? 'installed' : 'not installed' }));
  const bars = element('div', { className: 'usage' });
  for (const tier of TIERS) {
    const u = extension.usage[tier];
    const b = bar(`${tier}`, u.bytes, u.quota, u.entries);
    b.dataset.tier = tier;
    bars.append(b);
    const s = bar(`${tier}, shared`, u.sharedBytes, u.sharedQuota, u.sharedEntries);
    s.dataset.tier = `${tier}-shared`;
    bars.append(s);
  }
  const purge = element('button', { type: 'button', className: 'purge', textContent: 'Purge…' });
  const confirmBox = element('span', { className: 'confirm', hidden: true },
    `Remove every server entry of ${extension.extension}? `);
  const yes = element('button', { type: 'button', className: 'confirm-purge', textContent: 'Purge for good' });
  const no = element('button', { type: 'button', className: 'cancel-purge', textContent: 'Cancel' });
  confirmBox.append(yes, no);
  const result = element('span', { className: 'purge-result', role: 'status' });
  purge.onclick = () => { confirmBox.hidden = false; purge.hidden = true; };
  no.onclick = () => { confirmBox.hidden = true; purge.hidden = false; };
  yes.onclick = async () => {
    yes.disabled = true;
    try {
      const [publisher, name] = [extension.publisher, extension.name].map(encodeURIComponent);
      const { result: r } = await send('DELETE', `/api/v1/admin/extensions/${publisher}/${name}/storage`, session);
      panel.dataset.lastPurge = `${r.extension}:${r.entries}`;
      await refresh(panel, session, `Purged ${r.entries} entries of ${r.extension} (persistent ${r.persistent}, ephemeral ${r.ephemeral}).`);
    } catch (e) {
      result.textContent = `Purge failed: ${e.message}`;
      yes.disabled = false;
    }
  };
  item.append(title, bars, element('div', { className: 'actions' }, purge, confirmBox, result));
  return item;
}

async function refresh(panel, session, message = '') {
  const { result } = await send('GET', '/api/v1/admin/extensions', session);
  const list = panel.querySelector('ul');
  list.replaceChildren(...result.map((e) => row(e, session, panel)));
  panel.querySelector('.admin-message').textContent = message
    || (result.length ? `${result.length} extension(s) hold server data.` : 'No extension holds server data.');
  panel.dataset.state = 'ready';
}

/** Shows the panel in `container` if the signed-in user is an administrator; resolves to whether it did. */
export async function showAdmin(session, container) {
  const panel = element('section', { id: 'admin', className: 'admin' },
    element('h2', { textContent: 'Administration: stored data' }),
    element('p', { className: 'admin-message' }),
    element('ul'),
    element('button', { type: 'button', className: 'refresh', textContent: 'Refresh' }));
  try {
    await refresh(panel, session);
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      return false;   // not an administrator: nothing to show
    }
    throw e;
  }
  panel.querySelector('.refresh').onclick = () => refresh(panel, session);
  container.append(panel);
  return true;
}
