// Loads one extension's Module Federation container and hands it its own instance of
// @extension-storage/core, bound to that extension, through the share scope given to container.init (as
// Superset's extension loader does). getContext() in the extension then always returns its own context,
// whenever it runs: after awaits, in event handlers, in timers.
//
// An extension whose manifest says "sandbox": true runs instead in <iframe sandbox="allow-scripts"> (SPEC
// section 12): an opaque origin without the host's cookies, Web Storage or DOM. Its frame gets its own module
// instance whose every call comes over a MessageChannel to a bridge the host serves for that extension only,
// with a token bound to it; the token never enters the frame.
import { mountRemote } from './federation.js';
import { mintToken } from './session.js';

/** How long a sandboxed extension may take to report that it is mounted. */
const SANDBOX_START_MS = 30000;

/**
 * A fresh instance of the core module: a module is evaluated once per URL, so a URL of its own per extension
 * gives each extension a module with its own bound context.
 */
async function coreInstanceFor(extensionId) {
  const url = `/core/index.js?ext=${encodeURIComponent(extensionId)}`;
  return import(/* webpackIgnore: true */ url);
}

/**
 * Removes the Web Storage keys of extensions that are no longer installed (`installedIds`: every installed
 * extension's `publisher.name`), with the host's module; returns how many.
 */
export async function purgeUninstalled(installedIds) {
  return (await hostModule()).purgeUninstalled(installedIds);
}

/**
 * The host's module, @extension-storage/core/host (purging, and the host side of sandboxed extensions'
 * bridges): a module of its own, so that the module each extension loads does not carry it.
 */
function hostModule() {
  return import(/* webpackIgnore: true */ '/core/host.js');
}

/**
 * Loads `extension` ({id, publisher, name, remoteEntry}) for the signed-in `session` and mounts its './Panel'
 * into `element`.
 */
export async function loadExtension(extension, session, element) {
  const core = await coreInstanceFor(extension.id);
  core.bindContext(core.createExtensionContext({
    publisher: extension.publisher,
    name: extension.name,
    user: { id: session.user },
    apiBase: '',
    credentials: 'same-origin',
    headers: () => ({ 'X-CSRF-Token': session.csrf }),
  }));

  await mountRemote(core, new URL(extension.remoteEntry, document.baseURI).href, element);
}

/**
 * Runs `extension` in a sandboxed frame inside `element`: serves its bridge with the host's module
 * (bound tokens minted with the session, sent with credentials 'omit' so the cookie never counts), hands the
 * frame its port and waits until it reports the panel mounted; the frame's height follows its content.
 */
export async function loadSandboxed(extension, session, element) {
  const host = await hostModule();
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.className = 'sandboxed';
  frame.title = extension.displayName || extension.id;
  frame.src = '/sandbox.html';
  const loaded = new Promise((resolve) => { frame.onload = resolve; });
  element.append(frame);
  await loaded;

  const channel = new MessageChannel();
  let bridge;
  const mounted = new Promise((resolve, reject) => {
    bridge = host.serveBridge(channel.port1, {
      publisher: extension.publisher,
      name: extension.name,
      user: { id: session.user },
      apiBase: '',
      credentials: 'omit',
      getToken: () => mintToken(extension, session),
      onFrame: (event, detail) => {
        if (event === 'size') frame.style.height = `${detail}px`;
        else if (event === 'ready') resolve();
        else reject(new Error(detail));
      },
    });
    setTimeout(() => reject(new Error(`not mounted within ${SANDBOX_START_MS / 1000} s`)), SANDBOX_START_MS);
  });
  // '*': an opaque origin has no name to target; the frame runs nothing but the sandbox page before this
  frame.contentWindow.postMessage({
    type: 'extension-storage/port',
    publisher: extension.publisher,
    name: extension.name,
    user: { id: session.user },
    remoteEntry: new URL(extension.remoteEntry, document.baseURI).href,
  }, '*', [channel.port2]);
  try {
    await mounted;
  } catch (e) {
    bridge.close();
    throw e;
  }
}
