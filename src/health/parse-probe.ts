/** The pure parser of the health probe's `@@section` output (probe-script.ts). */
import type { AlertLine, AlertScan, HealthProbe, HttpAnswer, RulesFile, UnitState } from './model.js';

export function parseHealthProbe(stdout: string): HealthProbe {
  const s = sections(stdout);
  if (!s.has('units') || !s.has('alerts')) {
    throw new Error(`unexpected health probe output: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const clock = lines(s.get('clock'));
  const uptime = Number(clock[1]);
  const driver = keyValues(s.get('driver'));
  const versions = httpAnswer(s.get('versions'));
  const cli = lines(s.get('falcoversion'))[0];
  const falcoBinary = lines(s.get('falco'))[0];
  const osRelease = keyValues(s.get('os'));
  return {
    os: dropUndefined({ id: osRelease.ID, versionId: osRelease.VERSION_ID, prettyName: osRelease.PRETTY_NAME }),
    kernel: lines(s.get('kernel'))[0] ?? '',
    now: Number(clock[0]),
    ...(falcoBinary ? { falcoBinary } : {}),
    configFiles: lines(s.get('configfiles')),
    config: flatConfig(s.get('config')),
    units: units(s.get('units'), Number.isFinite(uptime) ? uptime : undefined),
    kmodModules: lines(s.get('driver')).filter((l) => l.startsWith('module=')).map((l) => l.slice('module='.length)),
    btf: driver.btf === '1',
    ringbuf: driver.ringbuf === undefined ? null : driver.ringbuf === '1',
    healthz: httpAnswer(s.get('healthz')),
    versions,
    ...(cli ? { falcoVersionCli: cli } : {}),
    rules: rules(s.get('rules')),
    alerts: { ...alerts(s.get('alerts')), ...(s.has('tail') ? { tail: alertLines(s.get('tail')) } : {}) },
  };
}

function sections(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^@@([a-z]+)$/.exec(line);
    if (m) {
      current = [];
      out.set(m[1], current);
    } else current?.push(line);
  }
  return out;
}

function lines(block: string[] | undefined): string[] {
  return (block ?? []).filter((l) => l.trim() !== '');
}

function keyValues(block: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(block)) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).replace(/^"(.*)"$/, '$1');
  }
  return out;
}

function flatConfig(block: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(block)) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function httpAnswer(block: string[] | undefined): HttpAnswer {
  const all = block ?? [];
  const codeAt = all.findIndex((l) => l.startsWith('@@code='));
  if (codeAt < 0) return { code: 'error', body: '' };
  const code = all[codeAt].slice('@@code='.length);
  const body = all.slice(0, codeAt).join('\n').trim();
  if (code === 'disabled' || code === 'noclient') return { code, body };
  const n = Number(code);
  // curl prints 000 when nothing answered; its error text is the body.
  return { code: Number.isInteger(n) && n > 0 ? n : 'error', body };
}

function units(block: string[] | undefined, uptime: number | undefined): Record<string, UnitState> {
  const out: Record<string, UnitState> = {};
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of block ?? []) {
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    const i = line.indexOf('=');
    if (i <= 0) continue;
    if (!current) blocks.push((current = {}));
    current[line.slice(0, i)] = line.slice(i + 1);
  }
  for (const b of blocks) {
    if (!b.Id) continue;
    const enteredUs = Number(b.ActiveEnterTimestampMonotonic);
    const active = b.ActiveState === 'active';
    out[b.Id] = {
      id: b.Id,
      loadState: b.LoadState ?? 'not-found',
      unitFileState: b.UnitFileState ?? '',
      activeState: b.ActiveState ?? 'inactive',
      subState: b.SubState ?? 'dead',
      restarts: Number(b.NRestarts ?? 0) || 0,
      ...(active && uptime !== undefined && enteredUs > 0 ? { uptimeSeconds: Math.max(0, Math.round(uptime - enteredUs / 1e6)) } : {}),
    };
  }
  return out;
}

function rules(block: string[] | undefined): RulesFile[] {
  return lines(block).map((line) => {
    if (line.startsWith('- ')) return { path: line.slice(2), sha256: null };
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(line);
    return m ? { path: m[2], sha256: m[1] } : { path: line, sha256: null };
  });
}

function alerts(block: string[] | undefined): AlertScan {
  const kv = keyValues(block?.filter((l) => !l.includes('\t')));
  const scan: AlertScan = {
    file: kv.file ?? '',
    fileOutputEnabled: kv.file_enabled === '1',
    jsonOutput: kv.json === '1',
    read: false,
    counts: [],
    malformed: 0,
    nDrops: 0,
  };
  if (kv.since) scan.since = kv.since;
  for (const line of block ?? []) {
    const f = line.split('\t');
    if (f[0] === 'count' && f.length >= 5) scan.counts.push({ count: Number(f[1]), minute: f[2], priority: jsonText(f[3]), rule: jsonText(f.slice(4).join('\t')) });
    else if (f[0] === 'malformed') {
      scan.read = true;
      scan.malformed = Number(f[1]) || 0;
    } else if (f[0] === 'drops') scan.nDrops = Number(f[1]) || 0;
  }
  scan.counts.sort((a, b) => a.minute.localeCompare(b.minute) || a.priority.localeCompare(b.priority) || a.rule.localeCompare(b.rule));
  return scan;
}

/** Falco JSON alert lines; anything else (a cut first line, garbage) is left out. */
function alertLines(block: string[] | undefined): AlertLine[] {
  const out: AlertLine[] = [];
  for (const line of lines(block)) {
    let a: Record<string, unknown>;
    try {
      a = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof SyntaxError) continue;
      throw err;
    }
    if (a === null || typeof a !== 'object') continue;
    const text = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
    if (text('rule') && text('time')) out.push({ time: text('time'), priority: text('priority'), rule: text('rule'), output: text('output') });
  }
  return out;
}

/** The host's awk leaves JSON string escapes as they were (`\"`, `\u00e9`). */
function jsonText(escaped: string): string {
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch (err) {
    if (err instanceof SyntaxError) return escaped;
    throw err;
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
