// Loads one extension's Module Federation container and hands it its own instance of
// @extension-storage/core, bound to that extension, through the share scope given to container.init (as
// Superset's extension loader does). getContext() in the extension then always returns its own context,
// whenever it runs: after awaits, in event handlers, in timers.

const CORE = '@extension-storage/core';

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
 * extension's `publisher.name`), with an instance of the core module of the host's own; returns how many.
 */
export async function purgeUninstalled(installedIds) {
  const core = await import(/* webpackIgnore: true */ '/core/index.js?host');
  return core.purgeUninstalled(installedIds);
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

  const remoteEntry = new URL(extension.remoteEntry, document.baseURI).href;
  const container = await import(/* webpackIgnore: true */ remoteEntry);
  const shareScope = {
    [CORE]: {
      [core.version || '0.0.0']: { get: () => Promise.resolve(() => core), loaded: 1, from: 'host' },
    },
  };
  await container.init(shareScope);
  const panel = (await container.get('./Panel'))();
  panel.mount(element);
}
