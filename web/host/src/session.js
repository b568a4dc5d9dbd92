// The signed-in user, through the server's development login. The session itself is an HttpOnly cookie; the
// page only keeps the CSRF token that cookie-authenticated writes must echo in X-CSRF-Token.

async function json(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.code;
    error.status = response.status;
    throw error;
  }
  return body;
}

/** The current session `{user, csrf}`, or `null` when nobody is signed in. */
export async function currentSession() {
  const response = await fetch('/api/v1/me', { credentials: 'same-origin' });
  if (response.status === 401) {
    return null;
  }
  const { user, csrf } = await json(response);
  return { user, csrf };
}

/** Development login; `roles` (e.g. `['admin']`) go into the token's `roles` claim. */
export async function signIn(user, roles = []) {
  const response = await fetch('/api/v1/dev/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, roles }),
  });
  const body = await json(response);
  return { user: body.user, csrf: body.csrf };
}

export async function signOut(session) {
  await fetch('/api/v1/dev/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': session.csrf },
  });
}

/** The installed extensions: `[{id, publisher, name, displayName, remoteEntry, sandbox}]`. */
export async function installedExtensions() {
  const response = await fetch('/api/v1/extensions/', { credentials: 'same-origin' });
  return (await json(response)).result;
}

/**
 * A token bound to `extension` and the signed-in user (SPEC section 12), for a sandboxed extension's bridge:
 * `{token, expiresIn}`. The session cookie authenticates the request, so it carries the CSRF header.
 */
export async function mintToken(extension, session) {
  const response = await fetch(`/api/v1/extensions/${encodeURIComponent(extension.publisher)}/`
    + `${encodeURIComponent(extension.name)}/token`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': session.csrf },
  });
  const { token, expiresIn } = await json(response);
  return { token, expiresIn };
}
