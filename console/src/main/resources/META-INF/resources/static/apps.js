'use strict';
// Every app: releases, the latest rollout as a weight bar with step and gate, last verdicts and builds.
const Apps = (() => {
  const { el, fmt } = G;

  function release(r) {
    if (!r) return el('span', { class: 'muted' }, '—');
    return el('span', {}, el('b', {}, r.version || '?'),
      r.buildId ? [' ', el('a', { href: '/builds/' + encodeURIComponent(r.buildId), class: 'small' }, fmt.short(r.buildId))] : null);
  }

  function rolloutCell(row) {
    const r = row.rollouts && row.rollouts[0];
    const active = row.app.activeRollout;
    if (!r && !active) return el('span', { class: 'muted' }, 'no rollout yet');
    const weight = active ? active.canaryWeight : r ? r.canaryWeight : 0;
    const phase = active ? active.phase : r.phase;
    const rid = active ? active.id : r.id;
    const steps = r && r.spec ? r.spec.steps : [];
    const step = r && r.id === rid ? r.step : null;
    const gate = step !== null && steps[step] && steps[step].gate ? steps[step].gate.type : null;
    return el('div', { class: 'rollout-cell' },
      el('div', { class: 'weight', testid: 'weight-bar', 'data-weight': weight, title: 'canary ' + weight + ' %' },
        el('div', { class: 'canary', style: 'width:' + Math.max(0, Math.min(100, weight)) + '%' })),
      el('div', { class: 'small' },
        el('a', { testid: 'rollout-link', href: '/rollouts/' + encodeURIComponent(rid) }, phase),
        ' · canary ' + weight + ' %',
        step !== null && step >= 0 ? ' · step ' + (step + 1) + ' of ' + steps.length : '',
        gate ? ' · gate ' + gate : ''));
  }

  function verdicts(row) {
    const judged = (row.analyses || []).filter(a => a.verdict).slice(0, 4);
    if (judged.length === 0) return el('span', { class: 'muted' }, '—');
    return el('span', {}, judged.map(a => el('a', { href: '/rollouts/' + encodeURIComponent(a.rolloutId),
      title: a.canaryVersion + ' step ' + (a.step + 1) }, G.badge(a.verdict))));
  }

  function builds(row) {
    if (!row.builds || row.builds.length === 0) return el('span', { class: 'muted' }, '—');
    return el('span', {}, row.builds.map(b => el('a', { testid: 'build-link', class: 'build s-' + String(b.status).toLowerCase(),
      href: '/builds/' + encodeURIComponent(b.id), title: (b.commit || '').substring(0, 12) + ' ' + (b.message || '') },
      (b.version || fmt.short(b.id)) + ' ' + b.status)));
  }

  function table(rows) {
    return el('table', { class: 'apps' },
      el('thead', {}, el('tr', {}, ['app', 'current', 'previous', 'rollout', 'last verdicts', 'last builds'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows.map(row => el('tr', { testid: 'app-row', 'data-app': row.app.name },
        el('td', {}, el('a', { href: '/apps/' + encodeURIComponent(row.app.name) }, el('b', {}, row.app.name)),
          el('div', { class: 'small muted' }, row.app.repo || '')),
        el('td', {}, release(row.app.current)), el('td', {}, release(row.app.previous)),
        el('td', {}, rolloutCell(row)), el('td', {}, verdicts(row)), el('td', {}, builds(row))))));
  }

  return { table };
})();

if (document.querySelector('script[src="/static/apps.js"]') && location.pathname === '/') {
  (async () => {
    async function load() {
      const r = await G.api('/api/apps');
      if (!r.ok) { G.failed(r, 'the apps'); return; }
      const apps = r.body.apps || [];
      G.main(G.el('section', { class: 'card' }, G.el('h1', {}, 'Apps'),
        apps.length ? Apps.table(apps) : G.el('p', { class: 'muted' },
          r.body.away && r.body.away.length ? 'The apps come from rollout-service.' : 'No app is registered yet.')));
    }
    await G.start();
    await load();
    G.live('', load, ['verdict', 'rollout', 'build']);
  })();
}
