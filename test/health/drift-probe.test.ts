/** The drift probe's shell side, run here by dash as on Debian hosts: sha256 per file, backups left out, a missing root is no output. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedFilesScript, parseManagedFiles } from '../../src/health/drift-probe.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const run = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' });

describe('health config drift: the host-side hash listing', () => {
  it('lists every regular file under the root with its sha256 (names with spaces, nested), leaving out *~ backups', () => {
    const root = mkdtempSync(join(tmpdir(), 'fd-drift-probe-'));
    try {
      mkdirSync(join(root, 'rules.d'));
      writeFileSync(join(root, 'falco.yaml'), 'a: 1\n');
      writeFileSync(join(root, 'rules.d', 'my rules.yaml'), '- list: x\n');
      writeFileSync(join(root, 'falco.yaml.1234.2026-12-03@10:00:00~'), 'old\n');
      const got = parseManagedFiles(run(managedFilesScript(root)));
      expect(Object.fromEntries(got)).to.deep.equal({
        [join(root, 'falco.yaml')]: sha256('a: 1\n'),
        [join(root, 'rules.d', 'my rules.yaml')]: sha256('- list: x\n'),
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a host without the root: no files, exit 0', () => {
    expect(run(managedFilesScript(join(tmpdir(), 'fd-no-such-dir', "it's")))).to.equal('');
  });
});
