'use strict';
// One app: its row as on the apps page, and its last rollouts.
(() => {
  const { el, fmt } = G;
  const name = G.pathId();

  async function load() {
    const r = await G.api('/api/apps/' + encodeURIComponent(name));
    if (r.status === 404) { G.notFound('There is no app ' + name + '.'); return; }
    if (!r.ok) { G.failed(r, 'app ' + name); return; }
    const row = (r.body.apps || [])[0];
    if (!row) {
      G.main(el('section', { class: 'card' }, el('h1', {}, name), el('p', { class: 'muted' }, 'rollout-service did not answer.')));
      return;
    }
    G.main(
      el('section', { class: 'card' }, el('h1', {}, 'App ', name), Apps.table([row])),
      el('section', { class: 'card' }, el('h2', {}, 'Rollouts'),
        row.rollouts.length === 0 ? el('p', { class: 'muted' }, 'none yet')
          : el('table', {}, el('thead', {}, el('tr', {}, ['rollout', 'canary', 'stable', 'phase', 'weight', 'started'].map(h => el('th', {}, h)))),
            el('tbody', {}, row.rollouts.map(x => el('tr', {},
              el('td', {}, el('a', { href: '/rollouts/' + encodeURIComponent(x.id) }, fmt.short(x.id))),
              el('td', {}, x.versions ? x.versions.canary : ''), el('td', {}, x.versions ? x.versions.stable || '—' : ''),
              el('td', {}, x.phase), el('td', {}, x.canaryWeight + ' %'), el('td', {}, fmt.time(x.createdAt))))))));
  }

  G.start().then(async () => {
    await load();
    G.live('app=' + encodeURIComponent(name), load, ['verdict', 'rollout', 'build']);
  });
})();
