/**
 * reboot's pure logic, table-driven:
 * - test/cases/reboot/arguments/*.yaml: task args + setup facts -> the arguments the plugin reads
 *   and the reboot command it picks (`expect.error`: its failure message);
 * - test/cases/reboot/drive/*.yaml: the whole action against a scripted host. `host` answers each
 *   command (matched by how it starts) in order, the last answer repeating; `lost` is a
 *   connection that drops (exec rejects); answers under `reconnect` say whether a new connection opens. Sleeping moves a fake clock; `transcript` lists what
 *   the module did (exec lines match by how they start) and `result` what it registered.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { UnreachableError } from '../../src/errors.js';
import type { ExecResult } from '../../src/connectors/types.js';
import { ProbedFacts } from '../../src/facts/request.js';
import { setupFacts } from '../../src/facts/setup.js';
import type { HostSession, ModuleContext } from '../../src/modules/contract.js';
import { rebootModule } from '../../src/modules/reboot.js';
import { distributionOf, RebootError, rebootArgs } from '../../src/modules/system/reboot-plan.js';
import { loadCases } from '../support/cases.js';

const DEBIAN = { distribution: 'Debian', distribution_version: '12.5', os_family: 'Debian' };

interface ArgumentsCase {
  args: Record<string, unknown>;
  facts?: Record<string, unknown>;
  expect: Record<string, unknown> & { error?: string };
}

type Answer = 'lost' | { rc?: number; stdout?: string; stderr?: string };

interface DriveCase {
  args: Record<string, unknown>;
  facts?: Record<string, unknown>;
  context?: { check?: boolean; transport?: 'ssh' | 'local'; action?: string };
  host: Record<string, Answer[]>;
  expect: { transcript: string[]; result: Record<string, unknown> };
}

function readArguments(c: ArgumentsCase): Record<string, unknown> {
  const a = rebootArgs(c.args, distributionOf(c.facts ?? DEBIAN));
  return {
    reboot_timeout: a.rebootTimeout,
    connect_timeout: a.connectTimeout ?? null,
    pre_reboot_delay: a.preRebootDelay,
    post_reboot_delay: a.postRebootDelay,
    test_command: a.testCommand,
    boot_time_command: a.bootTimeCommand,
    shutdown: a.shutdown(),
  };
}

function scriptedHost(c: DriveCase, transcript: string[]): HostSession {
  let clock = 0;
  const asked = new Map<string, number>();
  const answer = (key: string): Answer => {
    const n = asked.get(key) ?? 0;
    asked.set(key, n + 1);
    const answers = c.host[key]!;
    return answers[Math.min(n, answers.length - 1)]!;
  };
  return {
    transport: c.context?.transport ?? 'ssh',
    exec: async (command) => {
      transcript.push(`exec ${command}`);
      const key = Object.keys(c.host).find((k) => command.startsWith(k));
      if (key === undefined) throw new Error(`the case's host has no answer for: ${command}`);
      const a = answer(key);
      if (a === 'lost') throw new UnreachableError('connection closed by the remote side', { host: 'h' });
      return { exitCode: a.rc ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '', durationMs: 0 } satisfies ExecResult;
    },
    reconnect: async (timeout) => {
      transcript.push(timeout === undefined ? 'reconnect' : `reconnect ${timeout}`);
      // `reconnect` answers: `lost` is a host that cannot be reached yet
      if (c.host.reconnect && answer('reconnect') === 'lost') throw new UnreachableError('connect ECONNREFUSED', { host: 'h' });
    },
    sleep: async (ms) => {
      transcript.push(`sleep ${ms}`);
      clock += ms;
    },
    now: () => clock,
    random: () => 0,
  };
}

const root = fileURLToPath(new URL('../cases/reboot', import.meta.url));

describe('reboot (table-driven)', () => {
  for (const c of loadCases<ArgumentsCase & DriveCase & { description?: string }>(root)) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, async () => {
      if (c.group === 'arguments') {
        const d = c.data as ArgumentsCase;
        if (d.expect.error !== undefined) {
          expect(() => readArguments(d)).to.throw(RebootError).with.property('message', d.expect.error);
        } else {
          expect(readArguments(d)).to.deep.equal(d.expect);
        }
        return;
      }
      const d = c.data as DriveCase;
      const transcript: string[] = [];
      const ctx = { host: 'h', facts: {}, check: d.context?.check ?? false, diff: false, become: false, action: d.context?.action } as ModuleContext;
      const facts = new ProbedFacts({ [setupFacts().key]: d.facts ?? DEBIAN });
      const result = await rebootModule.drive!(d.args, facts, scriptedHost(d, transcript), ctx);
      expect(result, 'result').to.deep.equal(d.expect.result);
      expect(transcript, 'transcript').to.have.length(d.expect.transcript.length, transcript.join('\n'));
      d.expect.transcript.forEach((want, i) => expect(transcript[i]!.startsWith(want), `step ${i}: ${transcript[i]} should start with ${want}`).to.equal(true));
    });
  }
});
