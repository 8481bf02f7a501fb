'use strict';
// Incidents, newest first, each with every attempt to deliver it.
(() => {
  const { el, fmt } = G;

  async function load() {
    const r = await G.api('/api/alerts');
    if (!r.ok) { G.failed(r, 'the alerts'); return; }
    const list = r.body || [];
    G.main(el('section', { class: 'card' }, el('h1', {}, 'Alerts'),
      list.length === 0 ? el('p', { class: 'muted' }, 'No incident.') : list.map(({ alert: a, deliveries }) => {
        const severity = a.severity || 'critical';
        return el('article', { class: 'incident sev-' + severity, testid: 'incident', 'data-severity': severity },
          el('header', {}, el('span', { class: 'badge sev' }, severity), ' ', el('b', {}, a.app), ' · ', a.detector,
            ' · ', el('span', { class: 'state' }, a.state), ' · opened ', fmt.time(a.openedAt),
            a.resolvedAt ? ' · resolved ' + fmt.time(a.resolvedAt) : ''),
          el('p', {}, a.summary || '', a.action ? ' → ' + a.action : '', ' ',
            a.rolloutId ? el('a', { href: '/rollouts/' + encodeURIComponent(a.rolloutId) }, 'the rollout') : ''),
          el('table', { class: 'deliveries' },
            el('thead', {}, el('tr', {}, ['channel', 'action', 'attempt', 'status', 'outcome', 'at'].map(h => el('th', {}, h)))),
            el('tbody', {}, (deliveries || []).map(d => el('tr', { testid: 'delivery' },
              el('td', {}, d.channel), el('td', {}, d.action), el('td', {}, d.attempt),
              el('td', {}, d.statusCode == null ? '—' : d.statusCode), el('td', {}, d.outcome), el('td', {}, fmt.time(d.at)))))));
      })));
  }

  G.start().then(async () => {
    await load();
    G.live('', load, ['verdict', 'rollout']);
  });
})();
