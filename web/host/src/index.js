// The host page: sign in (development login), then load and mount every installed extension.
import { currentSession, installedExtensions, signIn, signOut } from './session.js';
import { loadExtension, loadSandboxed, purgeUninstalled } from './loader.js';
import { showAdmin } from './admin.js';

const $ = (id) => document.getElementById(id);

function status(text, state = 'ok') {
  $('status').textContent = text;
  $('status').dataset.state = state;
}

function showSignedOut() {
  $('sign-in').hidden = false;
  $('signed-in').hidden = true;
  status('Sign in to load the extensions.');
}

function sectionFor(extension) {
  const section = document.createElement('section');
  section.className = 'extension';
  section.id = `ext-${extension.id}`;
  section.dataset.extension = extension.id;
  section.dataset.state = 'loading';
  section.dataset.mode = extension.sandbox ? 'sandboxed' : 'in-page';
  const title = document.createElement('h2');
  title.textContent = `${extension.displayName || extension.id} `;
  const id = document.createElement('small');
  id.textContent = extension.sandbox ? `${extension.id} (sandboxed)` : extension.id;
  title.append(id);
  const body = document.createElement('div');
  body.className = 'extension-body';
  section.append(title, body);
  return section;
}

async function showSignedIn(session) {
  $('sign-in').hidden = true;
  $('signed-in').hidden = false;
  $('current-user').textContent = session.user;
  $('sign-out-button').onclick = async () => {
    await signOut(session);
    // drops the module instances bound to this user along with the page
    window.location.reload();
  };

  showAdmin(session, $('admin-area'))
    .then((shown) => { document.body.dataset.admin = shown ? 'shown' : 'none'; })
    .catch((e) => { document.body.dataset.admin = 'error'; console.error('administration panel failed', e); });
  const installed = await installedExtensions();
  // an uninstalled extension's browser data goes at the first start-up that no longer lists it (SPEC section 9)
  try {
    document.body.dataset.purged = String(await purgeUninstalled(installed.map((e) => e.id)));
  } catch (e) {
    document.body.dataset.purged = 'error';
    console.error('removing uninstalled extensions\' browser data failed', e);
  }
  const extensions = installed.filter((e) => e.remoteEntry);
  status(`Loading ${extensions.length} extension(s)…`);
  const results = await Promise.allSettled(extensions.map(async (extension) => {
    const section = sectionFor(extension);
    $('extensions').append(section);
    try {
      const load = extension.sandbox ? loadSandboxed : loadExtension;
      await load(extension, session, section.querySelector('.extension-body'));
      section.dataset.state = 'ready';
    } catch (e) {
      section.dataset.state = 'error';
      section.querySelector('.extension-body').textContent = `Could not load ${extension.id}: ${e.message}`;
      console.error(`extension ${extension.id} failed to load`, e);
      throw e;
    }
  }));
  const failed = results.filter((r) => r.status === 'rejected').length;
  status(failed ? `${failed} of ${extensions.length} extension(s) failed to load.`
    : `${extensions.length} extension(s) loaded.`, failed ? 'error' : 'ok');
  document.body.dataset.extensions = failed ? 'error' : 'ready';
}

async function start() {
  $('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await showSignedIn(await signIn($('user-name').value.trim(), $('as-admin').checked ? ['admin'] : []));
    } catch (e) {
      status(`Sign-in failed: ${e.message}`, 'error');
    }
  });
  try {
    const session = await currentSession();
    if (session) {
      await showSignedIn(session);
    } else {
      showSignedOut();
    }
  } catch (e) {
    status(`Could not reach the server: ${e.message}`, 'error');
  }
}

start();
