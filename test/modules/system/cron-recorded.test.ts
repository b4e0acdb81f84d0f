/**
 * cron against behaviour RECORDED from ansible-core's module on a sandbox host (cron-cases.yaml,
 * re-record with `record-cron.py`): from the same crontab or cron file, the plan must give the
 * registered result Ansible gave (jobs, envs, warnings, diff, messages) and write what it wrote.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import { findModule } from '../../../src/modules/registry.js';
import { ArgumentError, validateArgs } from '../../../src/argspec/validate.js';
import type { CrontabState } from '../../../src/facts/crontab.js';
import type { ModuleContext } from '../../../src/modules/contract.js';
import { fixtureFacts } from '../../support/fact-fixtures.js';

interface RecordedCase {
  name: string;
  before: string | null;
  params: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
  expect: { result: Record<string, unknown>; after: string | null; backup?: string };
}

const cases = parse(readFileSync(fileURLToPath(new URL('./cron-cases.yaml', import.meta.url)), 'utf8')) as RecordedCase[];
const mod = findModule('cron')!;

/** What the probe read on the recording host (root, /usr/bin/crontab, 0644 files) before the task. */
function stateBefore(c: RecordedCase): CrontabState {
  const common = { crontab: '/usr/bin/crontab', me: 'root' };
  if (c.params.cron_file === undefined) return { ...common, rc: c.before === null ? 1 : 0, text: c.before ?? '' };
  if (c.before === null) return { ...common, isFile: false };
  return { ...common, isFile: true, mode: '0644', uid: 0, gid: 0, text: c.before };
}

const context = (c: RecordedCase): ModuleContext => ({
  host: 'recorded',
  facts: {},
  check: c.check === true,
  diff: c.diff === true,
  become: false,
  renderTemplate: () => Promise.reject(new Error('no templates')),
  readLocalFile: () => Promise.reject(new Error('no files')),
  resolveLocalPath: (p) => p,
});

describe('cron matches recorded ansible-core 2.14 behaviour', () => {
  for (const c of cases) {
    it(c.name, async () => {
      // failed: false is the executor's, not the module's
      const { failed, ...want } = c.expect.result;
      let args: Record<string, unknown>;
      try {
        args = validateArgs(mod.spec, c.params, mod.name);
      } catch (e) {
        if (!(e instanceof ArgumentError) || failed !== true) throw e;
        expect(e.message).to.equal(want.msg);
        return;
      }
      const ctx = context(c);
      const facts = fixtureFacts(await mod.probes(args, ctx), [{ fact: 'crontab_state', value: stateBefore(c) }], c.name);
      const plan = await mod.plan(args, facts, ctx);
      if (failed === true) {
        expect(plan.failed, 'failure message').to.equal(want.msg);
        return;
      }
      expect(plan.failed, 'plan failed').to.equal(undefined);
      const commands = ctx.check ? [] : plan.commands;
      const backup = commands.find((x) => x.describe === 'back up the crontab');
      // the recorder read back the backup Ansible kept; its path is random
      const result = { ...plan.result, ...(backup && 'backup_file' in want ? { backup_file: want.backup_file } : {}) };
      expect(result).to.deep.equal(want);
      if ('backup_file' in want) expect(want.backup_file).to.match(/^\/tmp\/crontab/);
      expect(backup?.stdin, 'backup content').to.equal(c.expect.backup);
      const last = commands.at(-1);
      const removed = last?.command.startsWith('rm -f -- ') === true;
      const after = removed ? null : last?.stdin !== undefined ? last.stdin.toString() : c.before;
      expect(after, 'crontab after').to.equal(c.expect.after);
      if (removed) expect(last!.command).to.include(posix.basename(String(c.params.cron_file)));
    });
  }
});
