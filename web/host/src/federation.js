// Mounting a Module Federation remote with a given instance of @extension-storage/core, shared by the host
// page (extensions in the page) and the sandbox page (an extension in its own frame).

const CORE = '@extension-storage/core';

/**
 * Imports the container at `remoteEntry` (an absolute URL), hands it `core` through the share scope given to
 * container.init (as Superset's extension loader does) and mounts its './Panel' into `element`.
 */
export async function mountRemote(core, remoteEntry, element) {
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
