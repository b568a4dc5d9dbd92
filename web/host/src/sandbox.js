// The sandbox page (/sandbox.html), inside <iframe sandbox="allow-scripts">: an opaque origin, so no cookies,
// no Web Storage, no access to the host page. It waits for the host's port, then loads this frame's own
// instance of @extension-storage/core bound to the extension over that port (every storage call goes to the
// host, which holds the credential), mounts the extension's panel and reports its height as it changes.
import { mountRemote } from './federation.js';

function start({ publisher, name, user, remoteEntry }, port) {
  const report = (event, detail) => port.postMessage({ id: 0, method: 'frame', args: [event, detail] });
  const root = document.getElementById('root');
  (async () => {
    const core = await import(/* webpackIgnore: true */ new URL('/core/index.js', document.baseURI).href);
    core.bindContext(core.createExtensionContext({ publisher, name, user, port }));
    await mountRemote(core, remoteEntry, root);
    new ResizeObserver(() => report('size', Math.ceil(document.documentElement.scrollHeight)))
      .observe(document.body);
    report('ready');
  })().catch((e) => {
    root.textContent = `Could not load ${publisher}.${name}: ${e && e.message}`;
    report('error', String(e && e.message || e).slice(0, 500));
  });
}

// only the host (the parent window) hands out the port, once; before it, no extension code runs here
addEventListener('message', function onPort(event) {
  const data = event.data;
  if (event.source !== window.parent || !data || data.type !== 'extension-storage/port' || !event.ports[0]) {
    return;
  }
  removeEventListener('message', onPort);
  start(data, event.ports[0]);
});
