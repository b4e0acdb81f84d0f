/**
 * The falco role checks its variables before it changes anything: a wrong falco_health_timeout,
 * falco_priority, falco_webserver or falco_config_overrides fails the host at the role's first
 * tasks — no package, config or service task runs, nothing is rolled back or restarted.
 * Hosts are fakes that answer every command with a failure, so nothing runs on this machine.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecRequest, ExecResult, HostConnection } from '../../src/connectors/types.js';
import type { ConnectionProvider } from '../../src/engine/ports.js';
import { runPlaybook } from '../../src/engine/run.js';
import { playbookRuntime } from '../../src/engine/playbook-runtime.js';
import { loadInventory } from '../../src/inventory/index.js';
import { findModule } from '../../src/modules/registry.js';
import type { RunEvent } from '../../src/output/events.js';
import { checkPlaybook, validateArgs, parseExtraVars, selectByTags } from '../../src/playbook/index.js';
import { createTemplater } from '../../src/template/index.js';

const ROLE = resolve(fileURLToPath(new URL('../../playbooks/roles/falco', import.meta.url)));

class RefusingHost implements HostConnection {
  readonly stats = { channels: 1, roundTrips: 0, connectMs: 0 };
  readonly commands: string[] = [];
  constructor(readonly name: string) {}
  async exec(command: string): Promise<ExecResult> {
    this.commands.push(command);
    return { stdout: '', stderr: 'refused by the test', exitCode: 1, durationMs: 0 };
  }
  async execBatch(requests: ExecRequest[]): Promise<ExecResult[]> {
    return Promise.all(requests.map((r) => this.exec(r.command)));
  }
  async upload(): Promise<void> {
    throw new Error('upload refused by the test');
  }
  async close(): Promise<void> {}
}

async function runRole(dir: string, extraVars: string): Promise<{ events: RunEvent[]; exitCode: number }> {
  writeFileSync(join(dir, 'hosts'), 'h1\n');
  writeFileSync(join(dir, 'site.yml'), `- hosts: all
  gather_facts: false
  vars:
    ansible_facts: { os_family: Debian, distribution: Debian }
  roles: [{ role: ${ROLE} }]
`);
  const templater = createTemplater({ searchPaths: [dir] });
  const connections: ConnectionProvider = { get: async (host) => new RefusingHost(host), interruptAll: async () => {}, closeAll: async () => {} };
  const events: RunEvent[] = [];
  const outcome = await runPlaybook({
    playbook: checkPlaybook(join(dir, 'site.yml')),
    runtime: playbookRuntime(templater),
    inventory: await loadInventory([join(dir, 'hosts')]),
    templater,
    connections,
    emit: (e) => events.push(e),
    options: {
      check: false, diff: false, verbose: 0, forks: 1, forceHandlers: false,
      extraVars: parseExtraVars([extraVars], dir),
      tagFilter: (tags) => selectByTags({ tags }, {}),
      findModule,
      coerceArgs: (spec, a, module) => validateArgs(spec, a, module),
    },
  });
  return { events, exitCode: outcome.exitCode };
}

const BAD: [string, string, RegExp][] = [
  ['falco_health_timeout: 0', '{"falco_health_timeout": 0}', /falco_health_timeout must be a positive number/],
  ['falco_health_timeout: "soon"', '{"falco_health_timeout": "soon"}', /falco_health_timeout must be a positive number/],
  ['falco_priority: loud', '{"falco_priority": "loud"}', /falco_priority must be one of/],
  ['falco_webserver: a string', '{"falco_webserver": "on"}', /falco_webserver must be a mapping/],
  ['falco_webserver without listen_port', '{"falco_webserver": {"enabled": true, "k8s_healthz_endpoint": "/healthz"}}', /falco_webserver must be a mapping/],
  ['falco_webserver port out of range', '{"falco_webserver": {"enabled": true, "listen_port": 70000, "k8s_healthz_endpoint": "/healthz"}}', /listen_port 1-65535/],
  ['falco_config_overrides: a list', '{"falco_config_overrides": ["webserver"]}', /falco_config_overrides must be a mapping/],
];

describe('falco role: variables are validated before anything changes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-role-validate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, vars, message] of BAD) {
    it(`${name}: the host fails at the role's variable check, no other task runs`, async () => {
      const { events, exitCode } = await runRole(dir, vars);
      const results = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
      const failed = results.filter((e) => e.status === 'failed');
      expect(failed, JSON.stringify(results.map((r) => [r.task, r.status, r.msg]))).to.have.length(1);
      // the role is listed by its absolute path, so Ansible (and we) name it by that path
      expect(failed[0]!.task).to.match(/(^|\/)falco : Check falco_/);
      expect(failed[0]!.msg).to.match(message);
      expect(results.filter((e) => !/(^|\/)falco : Check falco_/.test(e.task)), 'tasks after the checks').to.deep.equal([]);
      expect(exitCode).to.equal(2);
    });
  }

  it('the documented defaults and shapes pass the checks (info, "90", partial webserver map with the used keys)', async () => {
    const ok = '{"falco_priority": "INFO", "falco_health_timeout": "90", "falco_webserver": {"enabled": "yes", "listen_port": 8765, "k8s_healthz_endpoint": "/healthz"}, "falco_config_overrides": {"a": 1}}';
    const { events } = await runRole(dir, ok);
    const results = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
    const checks = results.filter((e) => /(^|\/)falco : Check falco_/.test(e.task));
    expect(checks.map((e) => e.status)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});
