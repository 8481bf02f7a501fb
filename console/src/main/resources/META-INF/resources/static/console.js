'use strict';
// What every page of the console shares: the session, the JSON API, the away banner, live events.
const G = (() => {
  let session = null;
  const away = new Set();

  /** An element with attributes and children; strings become text, never HTML. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'testid') e.setAttribute('data-testid', v);
      else if (k === 'class') e.className = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function toLogin() {
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
  }

  async function start() {
    const r = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
    if (r.status === 401) {
      toLogin();
      return new Promise(() => {});
    }
    session = await r.json();
    document.querySelector('[data-testid=whoami]').textContent = session.role;
    document.querySelector('[data-testid=logout]').addEventListener('click', logout);
    return session;
  }

  async function logout() {
    await fetch('/api/session', {
      method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrf } });
    location.assign('/login');
  }

  /** GET from the console's API: {status, ok, body}; a 502 names the service that is away. */
  async function api(path) {
    let r;
    try {
      r = await fetch(path, { credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json' } });
    } catch (e) {
      showAway(['console']);
      return { status: 0, ok: false, body: null };
    }
    if (r.status === 401) {
      toLogin();
      return new Promise(() => {});
    }
    const body = await r.json().catch(() => null);
    if (r.status === 502 && body && body.service) showAway([body.service]);
    if (body && Array.isArray(body.away)) showAway(body.away, true);
    return { status: r.status, ok: r.ok, body };
  }

  /** A state-changing request, with the session's CSRF token. */
  async function post(path) {
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': session.csrf, Accept: 'application/json' } });
    const body = await r.json().catch(() => null);
    if (r.status === 502 && body && body.service) showAway([body.service]);
    return { status: r.status, ok: r.ok, body };
  }

  /** Names the services that do not answer; {@code replace}: this answer is the whole truth. */
  function showAway(names, replace) {
    if (replace) away.clear();
    names.forEach(n => away.add(n));
    const banner = document.querySelector('[data-testid=away]');
    if (away.size === 0) {
      banner.hidden = true;
      banner.textContent = '';
      return;
    }
    banner.hidden = false;
    banner.textContent = 'Not answering: ' + [...away].join(', ') +
      '. This page shows what the other services answered.';
  }

  function main(...children) {
    const m = document.getElementById('main');
    m.replaceChildren(...children);
    return m;
  }

  function notFound(text) {
    main(el('section', { class: 'card notfound', testid: 'not-found' },
      el('h1', {}, 'Not found'), el('p', {}, text), el('p', {}, el('a', { href: '/' }, 'All apps'))));
  }

  function failed(r, what) {
    const detail = r.body && r.body.detail ? r.body.detail : 'HTTP ' + r.status;
    main(el('section', { class: 'card' }, el('h1', {}, 'Cannot show ' + what), el('p', {}, detail)));
  }

  /**
   * Calls {@code refresh} (at most every 150 ms) when the console hears of a change of one of
   * {@code kinds} (all by default); EventSource reconnects by itself.
   */
  function live(query, refresh, kinds) {
    let timer = null;
    const es = new EventSource('/api/live?' + query);
    const kick = () => {
      if (timer) return;
      timer = setTimeout(() => { timer = null; refresh(); }, 150);
    };
    (kinds || ['sample', 'verdict', 'rollout', 'build']).forEach(k => es.addEventListener(k, kick));
    return es;
  }

  function pathId() {
    return decodeURIComponent(location.pathname.split('/')[2] || '');
  }

  const fmt = {
    time(t) {
      if (!t) return '—';
      const d = new Date(t);
      return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    },
    clock(t) { return t ? new Date(t).toISOString().substring(11, 19) : '—'; },
    num(v, digits) {
      if (v === null || v === undefined || Number.isNaN(v)) return '—';
      if (typeof v !== 'number') return String(v);
      if (Math.abs(v) >= 1e6) return v.toExponential(2);
      return v.toFixed(digits === undefined ? (Number.isInteger(v) ? 0 : 3) : digits);
    },
    millis(ms) { return ms === null || ms === undefined ? '—' : (ms >= 1000 ? (ms / 1000).toFixed(1) + ' s' : ms + ' ms'); },
    short(s) { return s ? String(s).substring(0, 8) : '—'; },
  };

  function badge(verdict) {
    const v = verdict || 'NONE';
    return el('span', { class: 'badge v-' + v.toLowerCase() }, v);
  }

  return { el, start, api, post, showAway, main, notFound, failed, live, pathId, fmt, badge,
    get session() { return session; } };
})();
