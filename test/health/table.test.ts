import { expect } from 'chai';
import { renderTable, summaryLine, useColour, duration } from '../../src/health/table.js';
import { healthExitCode } from '../../src/health/summary.js';
import type { HostHealth } from '../../src/health/report.js';

const probe = { connectMs: 10, probeMs: 20, roundTrips: 1 };
const healthy: HostHealth = {
  host: 'web1',
  status: 'healthy',
  problems: [],
  falco: { installed: true, version: '0.44.1', versionSource: 'versions' },
  driver: { kind: 'modern_ebpf', kmodModule: null, btf: true, ringbuf: true },
  unit: { name: 'falco-modern-bpf.service', enabled: ['falco-modern-bpf.service'], activeState: 'active', subState: 'running', restarts: 2, uptimeSeconds: 3725 },
  healthz: { status: 'ok', detail: 'HTTP 200' },
  falcoctlFollow: { on: false, unitFileState: 'masked', activeState: 'inactive' },
  alerts: null,
  probe,
};
const degraded: HostHealth = { ...healthy, host: 'web2', status: 'degraded', problems: ['falco-modern-bpf.service is failed (failed)', '/healthz: HTTP 503'] };
const unreachable: HostHealth = { host: 'db1', status: 'unreachable', problems: ['unreachable: connection refused'], error: 'connection refused', probe: { connectMs: null, probeMs: null, roundTrips: null } };

const ANSI = /\x1b\[/;

describe('health table', () => {
  it('one row per host, uptime and restarts shown, problems joined, the summary line last', () => {
    const out = renderTable([healthy, degraded, unreachable], { colour: false, windowMinutes: 15 });
    const rows = out.trimEnd().split('\n');
    expect(rows).to.have.length(5);
    expect(rows[0]).to.match(/^HOST\s+STATUS\s+FALCO\s+DRIVER\s+UNIT\s+UP\s+RESTARTS\s+HEALTHZ\s+FOLLOW\s+ALERTS\/15m\s+PROBLEMS$/);
    expect(rows[1]).to.match(/^web1\s+healthy\s+0\.44\.1\s+modern_ebpf\s+falco-modern-bpf active\s+1h02m\s+2\s+ok\s+off\s+n\/a$/);
    expect(rows[2]).to.match(/web2\s+degraded .* falco-modern-bpf\.service is failed \(failed\); \/healthz: HTTP 503$/);
    expect(rows[3]).to.match(/^db1\s+unreachable\s+-\s+.*unreachable: connection refused$/);
    expect(rows[4]).to.equal('1 healthy, 1 degraded, 1 unreachable');
    expect(out).not.to.match(ANSI);
  });

  it('colours the status and the problems only when asked', () => {
    const out = renderTable([healthy, degraded], { colour: true, windowMinutes: 15 });
    expect(out).to.include('\x1b[32mhealthy');
    expect(out).to.include('\x1b[33mdegraded');
    expect(out).to.include('\x1b[33mfalco-modern-bpf.service is failed');
  });

  it('--playbook: a DRIFT column before PROBLEMS (in-sync, N files highlighted, unknown, - without a probe)', () => {
    const drift = (status: 'in-sync' | 'drifted' | 'unknown', n = 0) => ({ playbook: 's.yml', status, managed: 3, files: Array.from({ length: n }, (_, i) => ({ path: `/etc/falco/f${i}`, reason: 'differs' as const })) });
    const hosts: HostHealth[] = [
      { ...healthy, drift: drift('in-sync') },
      { ...degraded, problems: ['config drift: ...'], drift: drift('drifted', 2) },
      { ...healthy, host: 'web3', drift: drift('unknown') },
      unreachable,
    ];
    const rows = renderTable(hosts, { colour: false, windowMinutes: 15 }).trimEnd().split('\n');
    expect(rows[0]).to.match(/\sALERTS\/15m\s+DRIFT\s+PROBLEMS$/);
    expect(rows[1]).to.match(/\sn\/a\s+in-sync$/);
    expect(rows[2]).to.match(/\sn\/a\s+2 files\s+config drift: \.\.\.$/);
    expect(rows[3]).to.match(/\sn\/a\s+unknown$/);
    expect(rows[4]).to.match(/^db1\s+unreachable\s.*\s-\s+unreachable: connection refused$/);
    expect(renderTable(hosts, { colour: true, windowMinutes: 15 })).to.include('\x1b[33m2 files');
  });

  const cases: [string, boolean | undefined, Record<string, string>, boolean][] = [
    ['a terminal', true, {}, true],
    ['a pipe', undefined, {}, false],
    ['a terminal with NO_COLOR=1', true, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR empty (unset per no-color.org)', true, { NO_COLOR: '' }, true],
  ];
  for (const [what, isTTY, env, want] of cases) {
    it(`colour on ${what}: ${want}`, () => {
      expect(useColour({ isTTY } as unknown as NodeJS.WritableStream, env)).to.equal(want);
    });
  }

  it('summary line counts each status, leaves out empty ones', () => {
    expect(summaryLine([healthy, healthy, unreachable])).to.equal('2 healthy, 1 unreachable');
    expect(summaryLine([])).to.equal('0 hosts');
  });

  it('durations', () => {
    expect([59, 61, 3725, 3 * 86400 + 4 * 3600].map(duration)).to.deep.equal(['59s', '1m01s', '1h02m', '3d04h']);
  });

  it('exit codes: 0 all healthy, 2 any degraded (even with unreachable), 3 only unreachable', () => {
    expect(healthExitCode([healthy])).to.equal(0);
    expect(healthExitCode([])).to.equal(0);
    expect(healthExitCode([healthy, degraded, unreachable])).to.equal(2);
    expect(healthExitCode([healthy, unreachable])).to.equal(3);
  });
});

describe('health table: host text on a terminal', () => {
  it('control characters from a host are shown escaped, never sent to the terminal', () => {
    const hostile: HostHealth = { ...degraded, problems: ['/healthz: HTTP 200 but \x1b[2J\x1b]0;owned\x07'] };
    const out = renderTable([hostile], { colour: false, windowMinutes: 15 });
    expect(out).to.include('/healthz: HTTP 200 but \\x1b[2J\\x1b]0;owned\\x07');
    expect(out).not.to.match(ANSI);
  });
});
