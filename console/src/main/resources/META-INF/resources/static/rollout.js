'use strict';
// A rollout: phase and weight, actions, canary-against-stable charts, verdicts with evidence,
// grown stacks, CPU top functions, profiles, and the timeline. Refetched on every live event.
(() => {
  const { el, fmt } = G;
  const id = G.pathId();
  const CANARY = '#e8590c';
  const STABLE = '#1971c2';
  let charts = [];
  let sections = null;
  let latest = null;

  // Each judged series: how to read it from two consecutive samples of one track (counters are
  // cumulative, so ratios come from their deltas).
  const SERIES = [
    { testid: 'chart-goroutines', title: 'Goroutines', unit: '', gauge: p => p.goroutines },
    { testid: 'chart-heap', title: 'Heap in use', unit: 'MiB',
      gauge: p => p.heapInuseBytes == null ? null : p.heapInuseBytes / 1048576 },
    { testid: 'chart-error-ratio', title: '5xx ratio', unit: '',
      delta: (a, b) => ratio(b.errors - a.errors, b.requests - a.requests) },
    { testid: 'chart-latency', title: 'Latency (mean)', unit: 'ms',
      delta: (a, b) => scaled(ratio(b.latencySum - a.latencySum, b.latencyCount - a.latencyCount), 1000) },
    { testid: 'chart-cpu-per-request', title: 'CPU per request', unit: 'ms',
      delta: (a, b) => scaled(ratio(b.cpuSeconds - a.cpuSeconds, b.requests - a.requests), 1000) },
    { testid: 'chart-host-load', title: 'Host load per core', unit: '', gauge: p => p.hostLoadPerCore },
  ];

  function ratio(num, den) {
    if (num == null || den == null || Number.isNaN(num) || Number.isNaN(den) || den <= 0 || num < 0) return null;
    return num / den;
  }
  function scaled(v, k) { return v == null ? null : v * k; }

  /** [{t (s), v}] of one track across all steps; a failed scrape is a gap. */
  function points(analysis, track, series) {
    const out = [];
    for (const step of analysis.steps || []) {
      const s = step[track];
      if (!s || !s.points) continue;
      const pts = s.points.filter(p => !p.missingReason).slice().sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < pts.length; i++) {
        const t = Date.parse(pts[i].at) / 1000;
        let v = null;
        if (series.gauge) v = series.gauge(pts[i]);
        else if (i > 0) v = series.delta(pts[i - 1], pts[i]);
        if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ t, v });
      }
    }
    return out;
  }

  /** uPlot's aligned data: one x array, null where a track has no point at that time. */
  function aligned(canary, stable) {
    const xs = [...new Set([...canary, ...stable].map(p => p.t))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const c = new Array(xs.length).fill(null);
    const s = new Array(xs.length).fill(null);
    canary.forEach(p => { c[at.get(p.t)] = p.v; });
    stable.forEach(p => { s[at.get(p.t)] = p.v; });
    return [xs, c, s];
  }

  /** Vertical marks: dashed grey where a step began, coloured where a verdict was issued. */
  function marks(analysis) {
    const m = [];
    for (const step of analysis.steps || []) {
      if (step.startedAt) m.push({ t: Date.parse(step.startedAt) / 1000, color: '#868e96', dash: [4, 4], label: 'step ' + step.step });
    }
    for (const v of analysis.verdicts || []) {
      if (!v.verdict || !v.issuedAt) continue;
      const color = v.verdict === 'FAIL' ? '#e03131' : v.verdict === 'PASS' ? '#2f9e44' : '#f08c00';
      m.push({ t: Date.parse(v.issuedAt) / 1000, color, dash: [], label: v.verdict });
    }
    return m;
  }

  function markPlugin(ms) {
    return {
      hooks: {
        draw: [u => {
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.font = (10 * devicePixelRatio) + 'px sans-serif';
          for (const m of ms) {
            const x = u.valToPos(m.t, 'x', true);
            if (x < left || x > left + width) continue;
            ctx.strokeStyle = m.color;
            ctx.fillStyle = m.color;
            ctx.setLineDash(m.dash.map(d => d * devicePixelRatio));
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.fillText(m.label, x + 3 * devicePixelRatio, top + 10 * devicePixelRatio);
          }
          ctx.restore();
        }],
      },
    };
  }

  function drawCharts(analysis) {
    charts.forEach(c => c.destroy());
    charts = [];
    const grid = sections.charts;
    grid.replaceChildren();
    const ms = analysis ? marks(analysis) : [];
    for (const series of SERIES) {
      const canary = analysis ? points(analysis, 'canary', series) : [];
      const stable = analysis ? points(analysis, 'stable', series) : [];
      const box = el('div', { class: 'chart', testid: series.testid,
        'data-canary-points': canary.length, 'data-stable-points': stable.length },
        el('h3', {}, series.title + (series.unit ? ' (' + series.unit + ')' : '')));
      grid.append(box);
      if (canary.length + stable.length === 0) {
        box.append(el('p', { class: 'muted' }, 'no samples yet'));
        continue;
      }
      if (typeof uPlot === 'undefined') {
        box.append(el('p', { class: 'muted' }, 'chart library not loaded'));
        continue;
      }
      const width = Math.max(280, box.clientWidth - 16);
      charts.push(new uPlot({
        width, height: 200,
        plugins: [markPlugin(ms)],
        // wide enough for every step start and verdict, even one before the first sample
        scales: { x: { time: true, range: (u, lo, hi) => {
          const a = Math.min(lo, ...ms.map(m => m.t));
          const b = Math.max(hi, ...ms.map(m => m.t));
          return [a, b > a ? b : a + 1];
        } } },
        legend: { live: false },
        series: [
          {},
          { label: 'canary', stroke: CANARY, width: 2, spanGaps: true, points: { size: 4 } },
          { label: 'stable', stroke: STABLE, width: 2, spanGaps: true, points: { size: 4 } },
        ],
        axes: [{}, { size: 56, values: (u, vals) => {
          const top = Math.max(...vals.map(v => Math.abs(v)));
          const digits = top >= 100 ? 0 : top >= 10 ? 1 : top >= 1 ? 2 : 3;
          return vals.map(v => fmt.num(v, digits));
        } }],
      }, aligned(canary, stable), box));
    }
  }

  function renderHead(data) {
    const r = data.rollout;
    const a = data.analysis;
    const app = r ? r.app : a ? a.app : '?';
    const versions = r ? r.versions : a && a.steps && a.steps[0]
      ? { canary: a.steps[0].canaryVersion, stable: a.steps[0].stableVersion } : {};
    const steps = r && r.spec ? r.spec.steps : [];
    const step = r ? r.step : null;
    const gate = steps[step] && steps[step].gate ? steps[step].gate.type : null;
    sections.head.replaceChildren(
      el('h1', {}, 'Rollout of ', el('a', { href: '/apps/' + encodeURIComponent(app) }, app)),
      el('p', { class: 'versions' }, 'canary ', el('b', {}, versions.canary || '—'),
        ' against stable ', el('b', {}, versions.stable || '— (first deploy)'),
        r && r.buildId ? [' · build ', el('a', { href: '/builds/' + encodeURIComponent(r.buildId) }, fmt.short(r.buildId))] : null),
      el('div', { class: 'facts' },
        el('span', { class: 'fact' }, 'phase ', el('b', { testid: 'rollout-phase', class: 'phase' }, r ? r.phase : 'unknown')),
        el('span', { class: 'fact' }, 'canary weight ', el('b', { testid: 'rollout-weight' }, r ? r.canaryWeight : '—'), ' %'),
        el('span', { class: 'fact' }, 'step ', el('b', {}, step === null || step < 0 ? '—' : (step + 1) + ' of ' + steps.length),
          gate ? ' · gate ' + gate : ''),
        r && r.outcome ? el('span', { class: 'fact' }, 'outcome ', el('b', {}, r.outcome)) : null),
      weightBar(r ? r.canaryWeight : 0));
  }

  function weightBar(w) {
    return el('div', { class: 'weight', title: 'canary ' + w + ' %' },
      el('div', { class: 'canary', style: 'width:' + Math.max(0, Math.min(100, w)) + '%' }));
  }

  function renderActions(data) {
    // the session may still be on its way: the rollout is fetched at the same time
    if (!G.session || G.session.role !== 'operator' || sections.actions.childElementCount > 0) return;
    const app = data.rollout ? data.rollout.app : data.analysis ? data.analysis.app : null;
    const result = el('span', { class: 'result', testid: 'action-result', 'aria-live': 'polite' });
    const act = (name, label, path, question) => el('button', {
      type: 'button', testid: 'action-' + name, class: name === 'abort' || name === 'rollback' ? 'danger' : '',
      onclick: () => confirmThen(question, path, result) }, label);
    const rid = encodeURIComponent(id);
    sections.actions.append(
      act('promote', 'Promote', '/api/rollouts/' + rid + '/promote', 'Promote this rollout to its next step?'),
      act('pause', 'Pause', '/api/rollouts/' + rid + '/pause', 'Pause this rollout at its current weight?'),
      act('resume', 'Resume', '/api/rollouts/' + rid + '/resume', 'Resume this rollout?'),
      act('abort', 'Abort', '/api/rollouts/' + rid + '/abort', 'Abort this rollout? Stable takes all the traffic.'),
      app ? act('rollback', 'Roll back app', '/api/apps/' + encodeURIComponent(app) + '/rollback',
        'Roll ' + app + ' back to its previous release now?') : null,
      result);
  }

  function confirmThen(question, path, result) {
    const dialog = document.getElementById('confirm');
    dialog.querySelector('p').textContent = question;
    dialog.returnValue = '';
    dialog.onclose = async () => {
      if (dialog.returnValue !== 'yes') return;
      result.textContent = 'working…';
      const r = await G.post(path);
      if (r.ok) {
        const phase = r.body && r.body.phase ? r.body.phase
          : r.body && r.body.activeRollout ? r.body.activeRollout.phase : 'done';
        result.textContent = '→ ' + phase;
        result.className = 'result ok';
      } else {
        result.textContent = 'refused (' + r.status + '): ' + (r.body && r.body.detail ? r.body.detail : '');
        result.className = 'result bad';
      }
      load();
    };
    dialog.showModal();
  }

  function evidenceTable(evidence) {
    return el('table', { class: 'evidence' },
      el('thead', {}, el('tr', {}, ['check', 'verdict', 'test', 'p-value', 'canary', 'stable', 'threshold', 'samples', 'summary'].map(h => el('th', {}, h)))),
      el('tbody', {}, evidence.map(e => el('tr', { testid: 'evidence', 'data-check': e.check },
        el('td', {}, e.check), el('td', {}, G.badge(e.verdict)), el('td', {}, e.statistic || 'limit'),
        el('td', {}, e.pValue == null ? '—' : fmt.num(e.pValue, 4)),
        el('td', {}, fmt.num(e.canary), e.unit && e.unit !== 'count' ? ' ' + e.unit : ''),
        el('td', {}, fmt.num(e.stable)), el('td', {}, fmt.num(e.threshold)),
        el('td', {}, e.samples == null ? '—' : e.samples), el('td', { class: 'summary' }, e.summary || '')))));
  }

  function renderVerdicts(analysis) {
    const issued = analysis ? analysis.verdicts || [] : [];
    if (issued.length === 0) {
      sections.verdicts.replaceChildren(el('p', { class: 'muted' }, 'No verdict yet.'));
      return;
    }
    sections.verdicts.replaceChildren(...issued.slice().reverse().map(v => {
      const evidence = v.event && Array.isArray(v.event.evidence) ? v.event.evidence : [];
      return el('article', { class: 'verdict', testid: v.verdict ? 'verdict' : null, 'data-verdict': v.verdict || null },
        el('header', {}, v.verdict ? G.badge(v.verdict) : el('span', { class: 'badge' }, v.type || 'event'),
          ' step ' + (v.step + 1), ' · ', fmt.time(v.issuedAt), v.reason ? ' · ' + v.reason : ''),
        evidence.length ? evidenceTable(evidence) : null);
    }));
  }

  function renderStacks(analysis) {
    const seen = new Map();
    for (const v of analysis ? analysis.verdicts || [] : []) {
      for (const e of v.event && v.event.evidence ? v.event.evidence : []) {
        for (const s of e.stacks || []) {
          const old = seen.get(s.frames);
          if (!old || s.canary - s.stable > old.canary - old.stable) seen.set(s.frames, s);
        }
      }
    }
    const stacks = [...seen.values()].sort((a, b) => (b.canary - b.stable) - (a.canary - a.stable)).slice(0, 10);
    sections.stacks.replaceChildren(...(stacks.length === 0 ? [el('p', { class: 'muted' }, 'No grown stacks in the evidence.')]
      : stacks.map(s => el('div', { class: 'stack', testid: 'stack', 'data-canary': s.canary, 'data-stable': s.stable },
        el('div', { class: 'counts' }, el('span', { class: 'c' }, 'canary ' + s.canary), el('span', { class: 's' }, 'stable ' + s.stable)),
        el('pre', { testid: 'stack-frames' }, s.frames)))));
  }

  function renderCpu(analysis) {
    const profiles = [];
    for (const step of analysis ? analysis.steps || [] : []) {
      for (const p of step.cpuProfiles || []) profiles.push({ ...p, step: step.step });
    }
    const lastOf = track => profiles.filter(p => p.track === track).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
    const shown = ['canary', 'stable'].map(lastOf).filter(Boolean);
    sections.cpu.replaceChildren(...(shown.length === 0 ? [el('p', { class: 'muted' }, 'No CPU profile yet.')]
      : shown.map(p => el('div', { class: 'cpu ' + p.track },
        el('h3', {}, p.track + ' · ' + fmt.time(p.at)),
        Array.isArray(p.top) && p.top.length
          ? el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'function'), el('th', {}, 'flat'), el('th', {}, 'cum'))),
            el('tbody', {}, p.top.map(f => el('tr', {}, el('td', { class: 'fn' }, f.name || f.function || '?'),
              el('td', {}, share(f.flat)), el('td', {}, share(f.cum))))))
          : el('pre', {}, p.summary || 'no summary')))));
  }

  function share(v) {
    if (v == null) return '—';
    return v <= 1 ? (v * 100).toFixed(1) + ' %' : fmt.num(v);
  }

  function renderProfiles(analysis) {
    const links = [];
    for (const step of analysis ? analysis.steps || [] : []) {
      for (const track of ['canary', 'stable']) {
        const pts = step[track] && step[track].points ? step[track].points.filter(p => p.profile) : [];
        const last = pts[pts.length - 1];
        if (last) links.push({ href: last.profile, text: 'goroutines · ' + track + ' · step ' + (step.step + 1) + ' · ' + fmt.clock(last.at) });
      }
      for (const p of step.cpuProfiles || []) {
        if (p.link) links.push({ href: p.link, text: 'CPU · ' + p.track + ' · step ' + (step.step + 1) + ' · ' + fmt.clock(p.at) });
      }
    }
    sections.profiles.replaceChildren(...(links.length === 0 ? [el('p', { class: 'muted' }, 'No profiles yet.')]
      : [el('ul', { class: 'profiles' }, links.map(l => el('li', {},
        el('a', { testid: 'profile-link', href: '/api' + l.href, download: '' }, l.text))))]));
  }

  function renderTimeline(rollout) {
    const history = rollout && rollout.history ? rollout.history : [];
    sections.timeline.replaceChildren(...(history.length === 0 ? [el('p', { class: 'muted' }, rollout ? 'No history.' : 'rollout-service did not answer.')]
      : history.map(h => el('li', { testid: 'timeline-entry' },
        el('time', {}, fmt.time(h.at)), ' ',
        h.step !== undefined && h.step !== null
          ? el('b', {}, 'step ' + (h.step + 1) + ' (' + h.weight + ' %)')
          : el('b', {}, (h.from ? h.from + ' → ' : '') + h.to),
        h.reason ? el('span', { class: 'reason' }, ' ' + h.reason) : '',
        h.message ? el('span', { class: 'muted' }, ' — ' + h.message) : ''))));
  }

  function layout() {
    const s = {
      head: el('section', { class: 'card head' }),
      actions: el('div', { class: 'actions' }),
      charts: el('div', { class: 'charts' }),
      verdicts: el('div', {}),
      stacks: el('div', { testid: 'stacks' }),
      cpu: el('div', { testid: 'cpu-top', class: 'cpu-top' }),
      profiles: el('div', {}),
      timeline: el('ol', { testid: 'timeline', class: 'timeline' }),
    };
    const dialog = el('dialog', { id: 'confirm' },
      el('form', { method: 'dialog' }, el('p', {}, ''),
        el('menu', {}, el('button', { value: 'no', type: 'submit', class: 'quiet' }, 'Cancel'),
          el('button', { value: 'yes', type: 'submit', testid: 'confirm-yes', class: 'danger' }, 'Yes, do it'))));
    G.main(s.head, s.actions,
      el('section', { class: 'card' }, el('h2', {}, 'Canary against stable'),
        el('p', { class: 'legend' }, el('span', { class: 'c' }, '■ canary'), ' ', el('span', { class: 's' }, '■ stable'),
          ' · dashed: a step began · coloured: a verdict'), s.charts),
      el('section', { class: 'card' }, el('h2', {}, 'Verdicts and evidence'), s.verdicts),
      el('section', { class: 'card' }, el('h2', {}, 'Goroutine stacks that grew'), s.stacks),
      el('div', { class: 'two' },
        el('section', { class: 'card' }, el('h2', {}, 'CPU: top functions'), s.cpu),
        el('section', { class: 'card' }, el('h2', {}, 'Raw profiles (go tool pprof)'), s.profiles)),
      el('section', { class: 'card' }, el('h2', {}, 'Timeline'), s.timeline),
      dialog);
    return s;
  }

  function render(data) {
    if (!sections) sections = layout();
    renderHead(data);
    renderActions(data);
    drawCharts(data.analysis);
    renderVerdicts(data.analysis);
    renderStacks(data.analysis);
    renderCpu(data.analysis);
    renderProfiles(data.analysis);
    renderTimeline(data.rollout);
  }

  async function load() {
    const r = await G.api('/api/rollouts/' + encodeURIComponent(id));
    if (r.status === 404) {
      sections = null;
      G.notFound('There is no rollout ' + id + '.');
      return;
    }
    if (!r.ok) {
      if (!sections) G.failed(r, 'rollout ' + id);
      return;
    }
    latest = r.body;
    render(r.body);
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (latest && sections) drawCharts(latest.analysis); }, 200);
  });

  // the rollout and the session at the same time: the first render waits for one round trip
  const first = load();
  G.start().then(async () => {
    await first;
    if (latest && sections) renderActions(latest);
    G.live('rollout=' + encodeURIComponent(id), load);
  });
})();
