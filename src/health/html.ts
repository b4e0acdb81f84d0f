/**
 * `health --html FILE`: one self-contained page (inline CSS, no script, no external asset) that a
 * person reads instead of 500 rows: problems first, a status grid of hosts, alert counts per
 * priority and per rule with their minute-by-minute shape over the window, then every host.
 */
import type { HostHealth } from './report.js';
import { duration, summaryLine } from './table.js';
import { severity } from './verdict.js';

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2327;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:#555}
#summary{font-size:16px;font-weight:600;margin:8px 0 16px}
#problems li{margin:2px 0}#problems .host{font-weight:600}
#grid{display:flex;flex-wrap:wrap;gap:6px}
.cell{width:150px;padding:8px;border-radius:6px;color:#fff;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.cell .name{font-weight:600;display:block}
.healthy{background:rgb(31,136,61)}.degraded{background:rgb(191,135,0)}.unreachable{background:rgb(207,34,46)}
table{border-collapse:collapse;margin-top:4px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right}
svg.spark rect{fill:rgb(9,105,218)}
`;

export function renderHtml(hosts: HostHealth[], opts: { windowMinutes: number; generatedAt: Date }): string {
  const problemHosts = [...hosts].filter((h) => h.problems.length > 0).sort((a, b) => rank(a) - rank(b) || a.host.localeCompare(b.host));
  const body = [
    `<h1>Falco fleet health</h1>`,
    `<p class="meta">Generated ${esc(opts.generatedAt.toISOString())}; alerts over the last ${opts.windowMinutes} minutes.</p>`,
    `<p id="summary">${esc(summaryLine(hosts))}</p>`,
    driftSection(hosts),
    `<section id="problems"><h2>Problems</h2>${problemHosts.length ? `<ul>${problemHosts.map(problemItem).join('')}</ul>` : '<p>None: every host is healthy.</p>'}</section>`,
    `<section><h2>Hosts</h2><div id="grid">${hosts.map(gridCell).join('')}</div></section>`,
    priorityTable(hosts),
    ruleTable(hosts, opts),
    hostTable(hosts),
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Falco fleet health</title><style>${CSS}</style></head><body>${body.join('\n')}</body></html>\n`;
}

/** `--playbook`: every drifted file, and the hosts whose drift is unknown, before the problems. */
function driftSection(hosts: HostHealth[]): string {
  const checked = hosts.filter((h) => h.drift);
  if (!checked.length) return '';
  const drifted = checked.flatMap((h) =>
    h.drift!.files.map((f) => `<tr data-host="${esc(h.host)}" data-path="${esc(f.path)}"><td>${esc(h.host)}</td><td>${esc(f.path)}</td><td>${f.reason}</td><td>${esc(f.source ?? '')}</td></tr>`),
  );
  const unknown = checked.filter((h) => h.drift!.status === 'unknown').map((h) => `<li data-host="${esc(h.host)}"><span class="host">${esc(h.host)}</span>: ${esc(h.drift!.reason ?? '')}</li>`);
  return `<section id="drift"><h2>Config drift against ${esc(checked[0].drift!.playbook)}</h2>${
    drifted.length ? `<table><tr><th>Host</th><th>File</th><th>Drift</th><th>Written by</th></tr>${drifted.join('')}</table>` : '<p>None: every checked host matches the playbook.</p>'
  }${unknown.length ? `<p>Drift unknown:</p><ul>${unknown.join('')}</ul>` : ''}</section>`;
}

function rank(h: HostHealth): number {
  return h.status === 'unreachable' ? 0 : h.status === 'degraded' ? 1 : 2;
}

function problemItem(h: HostHealth): string {
  return `<li data-host="${esc(h.host)}"><span class="host">${esc(h.host)}</span> (${h.status}): ${h.problems.map(esc).join('; ')}</li>`;
}

function gridCell(h: HostHealth): string {
  const title = h.problems.length ? h.problems.join('; ') : 'healthy';
  return `<div class="cell ${h.status}" data-host="${esc(h.host)}" title="${esc(title)}"><span class="name">${esc(h.host)}</span>${h.status}</div>`;
}

function priorityTable(hosts: HostHealth[]): string {
  const totals = new Map<string, number>();
  for (const h of hosts) for (const [p, n] of Object.entries(h.alerts?.byPriority ?? {})) totals.set(p, (totals.get(p) ?? 0) + n);
  const rows = [...totals].sort(([a], [b]) => severity(a) - severity(b));
  const withAlerts = hosts.filter((h) => h.alerts).length;
  return `<section id="by-priority"><h2>Alerts per priority</h2><p class="meta">From ${withAlerts} of ${hosts.length} hosts (JSON file_output).</p>${
    rows.length
      ? `<table><tr><th>Priority</th><th>Alerts</th></tr>${rows.map(([p, n]) => `<tr data-priority="${esc(p)}"><td>${esc(p)}</td><td class="num">${n}</td></tr>`).join('')}</table>`
      : '<p>No alerts.</p>'
  }</section>`;
}

function ruleTable(hosts: HostHealth[], opts: { windowMinutes: number; generatedAt: Date }): string {
  const rules = new Map<string, { total: number; hosts: Set<string>; perMinute: Map<string, number> }>();
  for (const h of hosts) {
    for (const c of h.alerts?.byMinute ?? []) {
      const r = rules.get(c.rule) ?? { total: 0, hosts: new Set<string>(), perMinute: new Map<string, number>() };
      r.total += c.count;
      r.hosts.add(h.host);
      r.perMinute.set(c.minute, (r.perMinute.get(c.minute) ?? 0) + c.count);
      rules.set(c.rule, r);
    }
  }
  const minutes = lastMinutes(opts.generatedAt, opts.windowMinutes);
  const rows = [...rules].sort(([a, x], [b, y]) => y.total - x.total || a.localeCompare(b));
  return `<section id="by-rule"><h2>Alerts per rule</h2>${
    rows.length
      ? `<table><tr><th>Rule</th><th>Alerts</th><th>Hosts</th><th>Per minute (${esc(minutes[0])} to ${esc(minutes[minutes.length - 1])} UTC)</th></tr>${rows
          .map(
            ([rule, r]) =>
              `<tr data-rule="${esc(rule)}"><td>${esc(rule)}</td><td class="num">${r.total}</td><td class="num">${r.hosts.size}</td><td>${spark(minutes.map((m) => r.perMinute.get(m) ?? 0))}</td></tr>`,
          )
          .join('')}</table>`
      : '<p>No alerts.</p>'
  }</section>`;
}

/** The window's minutes as `HH:MM` keys matching the probe's `YYYY-MM-DDTHH:MM` (UTC). */
function lastMinutes(now: Date, window: number): string[] {
  const out: string[] = [];
  for (let i = window; i >= 0; i--) out.push(new Date(now.getTime() - i * 60_000).toISOString().slice(0, 16));
  return out;
}

function spark(values: number[]): string {
  const max = Math.max(1, ...values);
  const w = 6;
  const bars = values.map((v, i) => {
    const h = Math.round((v / max) * 20);
    return `<rect x="${i * w}" y="${20 - h}" width="${w - 1}" height="${h}"><title>${v}</title></rect>`;
  });
  return `<svg class="spark" width="${values.length * w}" height="20" viewBox="0 0 ${values.length * w} 20">${bars.join('')}</svg>`;
}

function hostTable(hosts: HostHealth[]): string {
  const head = ['Host', 'Status', 'Falco', 'Driver', 'Unit', 'Up', 'Restarts', '/healthz', 'Alerts', 'Rules files'];
  const rows = hosts.map((h) => {
    const cells = [
      h.host,
      h.status,
      h.falco?.version ?? '-',
      h.driver?.kind ?? '-',
      h.unit?.name ? `${h.unit.name} ${h.unit.activeState}` : '-',
      h.unit?.uptimeSeconds == null ? '-' : duration(h.unit.uptimeSeconds),
      h.unit?.restarts == null ? '-' : String(h.unit.restarts),
      h.healthz?.status ?? '-',
      h.alerts ? String(h.alerts.total) : '-',
      (h.rules ?? []).map((r) => `${r.path} ${r.sha256 ? r.sha256.slice(0, 12) : 'missing'}`).join('\n'),
    ];
    return `<tr class="${h.status}-row">${cells.map((c) => `<td>${esc(c).replace(/\n/g, '<br>')}</td>`).join('')}</tr>`;
  });
  return `<section id="hosts"><h2>Every host</h2><table><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr>${rows.join('')}</table></section>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
