'use strict';
// The login page: a token typed in, or the one-time code of a login link in the URL's fragment,
// which the browser never sends to any server.
(() => {
  const form = document.getElementById('login-form');
  const input = document.querySelector('[data-testid=login-token]');
  const error = document.querySelector('[data-testid=login-error]');
  const next = new URLSearchParams(location.search).get('next') || '/';

  async function login(body) {
    error.hidden = true;
    body.next = next;
    const r = await fetch('/api/session', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.ok) {
      const who = await r.json();
      // the server honours only a local path; anything else comes back as "/"
      location.replace(who.next || '/');
      return;
    }
    const problem = await r.json().catch(() => null);
    error.textContent = r.status === 401
      ? 'That token or login link is not valid (a link works once, for 10 minutes).'
      : 'Login failed: ' + (problem && problem.detail ? problem.detail : 'HTTP ' + r.status);
    error.hidden = false;
    input.value = '';
    input.focus();
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    if (input.value.trim()) login({ token: input.value.trim() });
  });

  const code = new URLSearchParams(location.hash.substring(1)).get('code');
  if (code) {
    history.replaceState(null, '', location.pathname + location.search);
    login({ code });
  }
})();
