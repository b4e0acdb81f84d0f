/**
 * The sharding examples in docs/examples (docs/scale-out.md) run as written: their falco-deploy
 * command lines, expanded by the shell for every Job index / matrix entry, are accepted by the CLI
 * and their shards together cover every host exactly once.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { cli } from '../support/cli.js';

const EXAMPLES = resolve(fileURLToPath(new URL('../../docs/examples', import.meta.url)));
const HOSTS = Array.from({ length: 20 }, (_, i) => `falco-${i + 1}`);

/** The words the shell passes to `falco-deploy` in `script`, with `env` set (falco-deploy stubbed). */
function expandCommand(script: string, env: Record<string, string>): string[][] {
  const stub = 'falco-deploy() { printf "%s\\0" "$@"; printf "\\n"; }\n';
  const cd = mkdtempSync(join(tmpdir(), 'fd-examples-'));
  const out = execFileSync('bash', ['-c', stub + script.replace(/ > [^;\n|]+/g, '').replace(/\|\| true/g, '')], { env: { ...process.env, ...env, HOME: cd }, cwd: cd, encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => line.split('\0').filter(Boolean));
}

/** Runs the example's `run` words against a local inventory/playbook with --list-hosts. */
async function listedHosts(words: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-examples-'));
  writeFileSync(join(dir, 'hosts.ini'), `[falco]\n${HOSTS.map((h) => `${h} ansible_host=127.0.0.1 ansible_port=9`).join('\n')}\n`);
  writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks: []\n');
  expect(words[0]).to.equal('run');
  const args = words.slice(2).flatMap((w, i, all) => (all[i - 1] === '-i' ? [join(dir, 'hosts.ini')] : [w]));
  const r = await cli(['run', join(dir, 'site.yml'), ...args.filter((w) => w !== '--json'), '--list-hosts']);
  expect(r.code, r.stderr).to.equal(0);
  return [...r.stdout.matchAll(/^ {6}(\S+)$/gm)].map((m) => m[1]);
}

describe('docs/examples: sharded runs', () => {
  it('k8s-indexed-job.yaml: each JOB_COMPLETION_INDEX runs its own shard; the Secret is the mounted SSH key', async () => {
    const docs = parseAllDocuments(readFileSync(join(EXAMPLES, 'k8s-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
    const job = docs.find((d) => d.kind === 'Job' && d.spec.completionMode === 'Indexed');
    const n = job.spec.completions;
    expect(job.spec.parallelism).to.equal(n);
    const pod = job.spec.template.spec;
    const ssh = pod.volumes.find((v: { secret?: unknown }) => v.secret);
    expect(ssh.secret.defaultMode).to.equal(0o400);
    const mount = pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === ssh.name);
    const script = pod.containers[0].args[0] as string;
    expect(script).to.include(`--private-key ${mount.mountPath}/id_ed25519`);
    const seen: string[] = [];
    for (let index = 0; index < n; index++) {
      const [words] = expandCommand(script, { JOB_COMPLETION_INDEX: String(index) });
      expect(words).to.include(`${index + 1}/${n}`);
      seen.push(...(await listedHosts(words)));
    }
    expect(seen.sort()).to.deep.equal([...HOSTS].sort());
    const merge = docs.find((d) => d.kind === 'Job' && d.metadata.name.includes('merge'));
    expect(merge.spec.template.spec.containers[0].args[0]).to.match(/^falco-deploy report merge /);
  });

  it('github-actions-shards.yml: the matrix is 1..N of --shard i/N and a merge job combines them', async () => {
    const wf = parseAllDocuments(readFileSync(join(EXAMPLES, 'github-actions-shards.yml'), 'utf8'))[0].toJS();
    const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(wf.jobs.shard.strategy['fail-fast']).to.equal(false);
    expect(shards).to.deep.equal(Array.from({ length: shards.length }, (_, i) => i + 1));
    const step = wf.jobs.shard.steps.find((s: { run?: string }) => s.run?.includes('--shard'));
    const seen: string[] = [];
    for (const shard of shards) {
      const script = (step.run as string).replace(/\$\{\{ matrix\.shard \}\}/g, String(shard));
      const [words] = expandCommand(script, {});
      expect(words).to.include(`${shard}/${shards.length}`);
      seen.push(...(await listedHosts(words)));
    }
    expect(seen.sort()).to.deep.equal([...HOSTS].sort());
    expect(wf.jobs.merge.needs).to.equal('shard');
    expect(wf.jobs.merge.steps.some((s: { run?: string }) => s.run?.startsWith('falco-deploy report merge shard-*.json'))).to.equal(true);
  });
});
