import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { alertTailLines, reportHealthAfterRun } from '../../src/health/after-run.js';
import type { ExecRequest, ExecResult, HostConnection } from '../../src/connectors/types.js';
import { FalcoDeployError } from '../../src/errors.js';

const recorded = (parse(readFileSync(fileURLToPath(new URL('../cases/health/probe/alert-tail.yaml', import.meta.url)), 'utf8')) as { output: string }).output;

/** A host that answers every command with the recorded probe output, counting what it was sent. */
function fakeHost(name: string, sent: ExecRequest[]): HostConnection {
  const stats = { channels: 1, roundTrips: 0, connectMs: 7 };
  return {
    name,
    stats,
    exec: () => Promise.reject(new Error('not used')),
    execBatch: (reqs: ExecRequest[]): Promise<ExecResult[]> => {
      stats.roundTrips++;
      sent.push(...reqs);
      return Promise.resolve(reqs.map(() => ({ stdout: recorded, stderr: '', exitCode: 0, durationMs: 1 })));
    },
    close: () => Promise.resolve(),
  };
}

function collect(): { out: NodeJS.WritableStream; text: () => string } {
  let buf = '';
  return { out: { write: (s: string) => ((buf += s), true) } as unknown as NodeJS.WritableStream, text: () => buf };
}

describe('run: health and alert tail after a falco-role run', () => {
  it('plain: the health table of the run hosts (an unreachable one without a probe) and each host alert tail; one round trip per host', async () => {
    const sent: ExecRequest[] = [];
    const conns = new Map(['web1', 'web2'].map((h) => [h, fakeHost(h, sent)]));
    const o = collect();
    await reportHealthAfterRun({
      connect: (h) => Promise.resolve(conns.get(h)!),
      hosts: [{ name: 'web1', unreachable: false }, { name: 'web2', unreachable: false }, { name: 'db1', unreachable: true }],
      become: true,
      tailLines: 3,
      json: false,
      colour: false,
      out: o.out,
    });
    const text = o.text();
    expect(text).to.match(/^\nFALCO HEALTH \*+\nHOST /);
    expect(text).to.match(/^web1\s+healthy\s+0\.44\.1/m);
    expect(text).to.match(/^db1\s+unreachable .*unreachable during the run$/m);
    expect(text).to.include('\n2 healthy, 1 unreachable\n');
    expect(text).to.match(/LAST ALERTS \(up to 3 per host\) \*+\nweb1:\n {2}2026-\S+Z {2}Notice {2}Run shell untrusted {2}\S/);
    expect(sent).to.have.length(2);
    expect(sent[0].become).to.equal(true);
    expect(sent[0].command).to.include('tail -n 3');
    expect([...conns.values()].map((c) => c.stats.roundTrips)).to.deep.equal([1, 1]);
  });

  it('--json: one falco_health event per host (with alertTail) and a summary event', async () => {
    const o = collect();
    await reportHealthAfterRun({
      connect: (h) => Promise.resolve(fakeHost(h, [])),
      hosts: [{ name: 'web1', unreachable: false }],
      become: false,
      tailLines: 1,
      json: true,
      colour: false,
      out: o.out,
    });
    const events = o.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.type)).to.deep.equal(['falco_health', 'falco_health_summary']);
    expect(events[0]).to.include({ host: 'web1', status: 'healthy' });
    expect(events[0].alertTail).to.have.length(1);
    expect(events[1]).to.deep.equal({ type: 'falco_health_summary', text: '1 healthy' });
  });

  it('falco_alert_tail=0: no tail asked of the hosts, none printed', async () => {
    const sent: ExecRequest[] = [];
    const o = collect();
    await reportHealthAfterRun({ connect: (h) => Promise.resolve(fakeHost(h, sent)), hosts: [{ name: 'web1', unreachable: false }], become: false, tailLines: 0, json: false, colour: false, out: o.out });
    expect(sent[0].command).not.to.include('@@tail');
    expect(o.text()).not.to.include('LAST ALERTS');
  });

  const tails: [unknown, number | RegExp][] = [
    [undefined, 5],
    [0, 0],
    ['12', 12],
    [3, 3],
    ['-1', /whole number >= 0/],
    ['many', /whole number >= 0/],
    [2.5, /whole number >= 0/],
  ];
  for (const [value, want] of tails) {
    it(`falco_alert_tail=${JSON.stringify(value)} -> ${String(want)}`, () => {
      const vars = value === undefined ? {} : { falco_alert_tail: value };
      if (typeof want === 'number') expect(alertTailLines(vars)).to.equal(want);
      else expect(() => alertTailLines(vars)).to.throw(FalcoDeployError, want);
    });
  }
});
