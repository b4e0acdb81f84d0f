/**
 * lineinfile, blockinfile, replace (ansible-core) and sysctl, ini_file (collections) against behaviour
 * RECORDED from the real modules (<module>-cases.yaml, re-record with `record-file-edit.py <module>`):
 * the plan's written content must equal what Ansible wrote.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import type { FileStat } from '../../../src/facts/file-stat.js';
import { findModule } from '../../../src/modules/registry.js';
import { ArgumentError, validateArgs } from '../../../src/argspec/validate.js';
import { sha1 } from '../../../src/modules/files/atomic-write.js';
import { localContext } from './local-host.js';
import { fixtureFacts } from '../../support/fact-fixtures.js';

interface RecordedCase {
  name: string;
  before: string | null;
  params: Record<string, unknown>;
  expect: { changed?: boolean; msg?: string; after?: string | null; failed?: string };
}

const casesOf = (module: string) => parse(readFileSync(fileURLToPath(new URL(`./${module}-cases.yaml`, import.meta.url)), 'utf8')) as RecordedCase[];

function statOf(before: string | null): FileStat {
  if (before === null) return { exists: false };
  const b = Buffer.from(before);
  return { exists: true, type: 'file', islnk: false, mode: '0644', uid: 0, gid: 0, owner: 'root', group: 'root', size: b.length, readable: true, checksum: sha1(b), content: b.toString('base64') };
}

/** The argument naming the edited file, and answers to the module's other probes (none bear on the file). */
const modules: { module: string; pathArg: string; otherFacts?: unknown[]; facts?: (path: string, before: string | null) => unknown[] }[] = [
  { module: 'lineinfile', pathArg: 'path' },
  { module: 'blockinfile', pathArg: 'path' },
  { module: 'replace', pathArg: 'path' },
  // recorded with reload and sysctl_set off: the kernel's value is read but does not count
  { module: 'sysctl', pathArg: 'sysctl_file', otherFacts: [{ fact: 'sysctl_value', value: { sysctl: true, value: null } }] },
  { module: 'ini_file', pathArg: 'path' },
  // recorded as root with a temp path: its one probe finds the user and reads the file
  {
    module: 'authorized_key',
    pathArg: 'path',
    facts: (path, before) => [{ fact: 'authorized_keys_file', value: { user: { uid: 0, gid: 0, home: '/root' }, file: path, realpath: path, content: before ?? '' } }],
  },
  // fstab states only: the mount point's state does not count
  { module: 'mount', pathArg: 'fstab', facts: (_path, before) => [{ fact: 'mount_state', value: { exists: false, ismount: false, mounts: {}, fstab: before } }] },
];

for (const { module, pathArg, otherFacts = [], facts: factsFor } of modules) {
  describe(`${module} matches recorded Ansible behaviour`, () => {
    const mod = findModule(module)!;
    for (const c of casesOf(module)) {
      it(c.name, async () => {
        const path = '/etc/example.conf';
        let args: Record<string, unknown>;
        try {
          args = validateArgs(mod.spec, { ...c.params, [pathArg]: path }, mod.name);
        } catch (e) {
          if (!(e instanceof ArgumentError) || c.expect.failed === undefined) throw e;
          expect(e.message).to.equal(c.expect.failed);
          return;
        }
        const ctx = localContext();
        const answers = factsFor ? factsFor(path, c.before) : [{ fact: 'file_stat', args: { path }, value: statOf(c.before) }, ...otherFacts];
        const facts = fixtureFacts(await mod.probes(args, ctx), answers, c.name);
        const plan = await mod.plan(args, facts, ctx);
        if (c.expect.failed !== undefined) {
          expect(plan.failed).to.equal(c.expect.failed.replace('{path}', path));
          return;
        }
        expect(plan.failed).to.equal(undefined);
        expect(plan.changed, 'changed').to.equal(c.expect.changed);
        expect(plan.result?.msg ?? '', 'msg').to.equal(c.expect.msg);
        const write = plan.commands.find((x) => x.stdin !== undefined);
        const after = write ? write.stdin!.toString() : c.before;
        expect(after, 'content after').to.equal(c.expect.after);
      });
    }
  });
}
