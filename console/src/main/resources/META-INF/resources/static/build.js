'use strict';
// A build: status, stages, artifacts, the live log (resumed after a reconnect), its trail into production.
(() => {
  const { el, fmt } = G;
  const id = G.pathId();
  let log = null;
  let stream = null;

  function trail(d) {
    if (!d || !d.rolloutId) return el('p', { class: 'muted' }, 'Not rolled out (yet).');
    const v = d.verdict;
    return el('p', {},
      el('a', { href: '/rollouts/' + encodeURIComponent(d.rolloutId) }, 'rollout ' + fmt.short(d.rolloutId)),
      ' of ', el('a', { href: '/apps/' + encodeURIComponent(d.app) }, d.app),
      ' · ', el('b', {}, d.phase), ' · ', d.live ? 'live at ' + d.weight + ' %' : 'not serving',
      d.step !== null && d.step !== undefined ? ' · step ' + (d.step + 1) : '',
      d.reason ? ' · ' + d.reason : '',
      v ? [' · last verdict ', G.badge(v.verdict), v.summary ? ' ' + v.summary : '', v.action ? ' → ' + v.action : ''] : '');
  }

  function render(b) {
    const stages = Object.entries(b.stageMillis || {});
    log = log || el('pre', { testid: 'build-log', class: 'log' });
    G.main(
      el('section', { class: 'card head' },
        el('h1', {}, 'Build ', b.version || fmt.short(b.id), ' of ', b.app ? el('a', { href: '/apps/' + encodeURIComponent(b.app) }, b.app) : b.repo),
        el('p', { class: 'versions' }, (b.refName || '') + ' @ ', el('code', {}, (b.commit || '').substring(0, 12)), ' ', b.message || ''),
        el('div', { class: 'facts' },
          el('span', { class: 'fact' }, 'status ', el('b', { testid: 'build-status', class: 's-' + String(b.status).toLowerCase() }, b.status)),
          el('span', { class: 'fact' }, 'created ', fmt.time(b.createdAt)),
          el('span', { class: 'fact' }, 'finished ', fmt.time(b.finishedAt))),
        b.error ? el('p', { class: 'bad' }, 'failed in ' + (b.error.stage || '?') + ': ' + (b.error.message || '')) : null),
      el('section', { class: 'card' }, el('h2', {}, 'Into production'), el('div', { testid: 'build-trail' }, trail(b.deployment))),
      el('div', { class: 'two' },
        el('section', { class: 'card' }, el('h2', {}, 'Stages'),
          stages.length === 0 ? el('p', { class: 'muted' }, 'none yet')
            : el('ul', {}, stages.map(([k, v]) => el('li', { testid: 'build-stage', 'data-stage': k }, el('b', {}, k), ' ', fmt.millis(v))))),
        el('section', { class: 'card' }, el('h2', {}, 'Artifacts'),
          (b.artifacts || []).length === 0 ? el('p', { class: 'muted' }, 'none')
            : el('ul', {}, b.artifacts.map(a => el('li', { testid: 'artifact' },
              el('b', {}, a.binary || a.path), a.goos ? ' ' + a.goos + '/' + a.goarch : '', a.size ? ' · ' + (a.size / 1048576).toFixed(1) + ' MiB' : '',
              el('div', { class: 'sha' }, 'sha256 ', el('code', {}, a.sha256))))))),
      el('section', { class: 'card' }, el('h2', {}, 'Log'), log));
  }

  function follow() {
    if (stream) return;
    // EventSource reconnects by itself and sends Last-Event-ID: the console passes it to build-api
    stream = new EventSource('/api/builds/' + encodeURIComponent(id) + '/log/stream');
    stream.onmessage = e => { log.append(e.data + '\n'); };
    stream.addEventListener('end', e => {
      log.append('— ' + e.data.trim() + ' —\n');
      stream.close();
      load();
    });
  }

  async function load() {
    const r = await G.api('/api/builds/' + encodeURIComponent(id));
    if (r.status === 404) { G.notFound('There is no build ' + id + '.'); return; }
    if (!r.ok) { G.failed(r, 'build ' + id); return; }
    render(r.body);
    follow();
  }

  G.start().then(async () => {
    await load();
    G.live('build=' + encodeURIComponent(id), load);
  });
})();
