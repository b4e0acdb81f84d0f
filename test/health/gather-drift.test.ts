/** health --playbook on a host: the drift rides in the probe's one round trip and judges the host (degraded only when drifted). */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ExecRequest, ExecResult, HostConnection } from '../../src/connectors/types.js';
import type { DesiredState } from '../../src/engine/desired-files.js';
import { probeHosts, type DriftCheck } from '../../src/health/gather.js';
import { managedFilesScript } from '../../src/health/drift-probe.js';
import { setupFacts } from '../../src/facts/setup.js';

const healthy = (parse(readFileSync(fileURLToPath(new URL('../cases/health/probe/healthy-modern-ebpf.yaml', import.meta.url)), 'utf8')) as { output: string }).output;
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

/** Answers the health probe with a recorded healthy output, the setup probe with a kernel line, the hash listing with falco.yaml's sha256 A. */
function fakeHost(sent: ExecRequest[]): HostConnection {
  const stats = { channels: 1, roundTrips: 0, connectMs: 3 };
  const answer = (r: ExecRequest): string => (r.command === setupFacts().command ? 'kernel=6.1.0-18-amd64\n' : r.command === managedFilesScript('/etc/falco') ? `${A}  /etc/falco/falco.yaml\n` : healthy);
  return {
    name: 'w1',
    stats,
    exec: () => Promise.reject(new Error('not used')),
    execBatch: (reqs) => {
      stats.roundTrips++;
      sent.push(...reqs);
      return Promise.resolve(reqs.map((r): ExecResult => ({ stdout: answer(r), stderr: '', exitCode: 0, durationMs: 1 })));
    },
    close: () => Promise.resolve(),
  };
}

async function probeWith(desired: DesiredState | undefined) {
  const sent: ExecRequest[] = [];
  const seenFacts: Record<string, unknown>[] = [];
  const drift: DriftCheck | undefined = desired && {
    playbook: 'site.yml',
    root: '/etc/falco',
    desired: (_host, facts) => (seenFacts.push(facts), Promise.resolve(desired)),
  };
  const conn = fakeHost(sent);
  const [got] = await probeHosts(() => Promise.resolve(conn), ['w1'], { become: true, windowMinutes: 15, probeTimeoutMs: 1000, drift });
  return { got, sent, seenFacts };
}

const file = (sha256: string) => ({ path: '/etc/falco/falco.yaml', sha256, task: 'write', source: 'config.yml:34' });

describe('health: config drift in the one probe round trip', () => {
  it('in sync: the health probe, the fact gathering and the hash listing go in ONE batch; the host stays healthy; the facts reach the evaluation', async () => {
    const { got, sent, seenFacts } = await probeWith({ known: true, files: [file(A)] });
    expect(got.probe.roundTrips).to.equal(1);
    expect(sent).to.have.length(3);
    expect(sent.every((r) => r.become === true)).to.equal(true);
    expect(got.status).to.equal('healthy');
    expect(got.drift).to.deep.equal({ playbook: 'site.yml', status: 'in-sync', managed: 1, files: [] });
    expect(seenFacts[0].kernel).to.equal('6.1.0-18-amd64');
  });

  it('drifted: degraded (exit 2) with the drift as a problem', async () => {
    const { got } = await probeWith({ known: true, files: [file(B)] });
    expect(got.status).to.equal('degraded');
    expect(got.problems).to.deep.equal(['config drift: /etc/falco/falco.yaml differs']);
    expect(got.drift?.files).to.deep.equal([{ path: '/etc/falco/falco.yaml', reason: 'differs', source: 'config.yml:34' }]);
  });

  it('unknown: shown with its reason, not judged', async () => {
    const { got } = await probeWith({ known: false, reason: 'why' });
    expect(got.status).to.equal('healthy');
    expect(got.drift).to.deep.equal({ playbook: 'site.yml', status: 'unknown', managed: 0, files: [], reason: 'why' });
  });

  it('without --playbook: the probe alone, no drift field', async () => {
    const { got, sent } = await probeWith(undefined);
    expect(sent).to.have.length(1);
    expect(got).not.to.have.property('drift');
  });
});
