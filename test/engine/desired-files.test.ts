/**
 * What a playbook would write on a host, worked out on the controller (health --playbook's drift),
 * table-driven: test/cases/engine/desired-files/<case>.yaml
 *
 *   description: what the case shows
 *   playbook: site | <playbook.yml text>   # site: playbooks/site.yml
 *   files: { <relative path>: <text> }     # written beside the playbook
 *   facts: { <fact>: <value> }             # what fact gathering found on the host
 *   extraVars: { ... }                     # -e; "{{ case_dir }}" is the case's directory, "{{ repo }}" this repository
 *   expect: { known: true, files: { <path>: <content, or null: any> } } | { known: false, reason: <text, paths relative; a final … matches any rest> }
 * The host is w1 of `[web] w1` / `[db] d1`.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desiredFiles } from '../../src/engine/desired-files.js';
import { playbookRuntime } from '../../src/engine/playbook-runtime.js';
import { loadInventory } from '../../src/inventory/index.js';
import { findModule } from '../../src/modules/registry.js';
import { checkPlaybook, selectByTags, validateArgs } from '../../src/playbook/index.js';
import { createTemplater } from '../../src/template/index.js';
import { loadCases } from '../support/cases.js';

interface DesiredCase {
  description: string;
  playbook: string;
  files?: Record<string, string>;
  facts?: Record<string, unknown>;
  extraVars?: Record<string, unknown>;
  expect: { known: true; files: Record<string, string | null> } | { known: false; reason: string };
}

const root = fileURLToPath(new URL('../cases/engine', import.meta.url));
const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SITE = resolve(fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url)));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('engine: the files a playbook would write on a host (table-driven)', () => {
  for (const c of loadCases<DesiredCase>(root).filter((x) => x.group === 'desired-files')) {
    it(`${c.name} — ${c.data.description}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fd-desired-'));
      for (const [rel, text] of Object.entries(c.data.files ?? {})) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1\n[db]\nd1\n');
      let file = SITE;
      if (c.data.playbook !== 'site') writeFileSync((file = join(dir, 'playbook.yml')), c.data.playbook);
      const playbook = checkPlaybook(file);
      const inventory = await loadInventory([join(dir, 'hosts.ini')]);
      const templater = createTemplater({ searchPaths: [dirname(playbook.file)] });
      const extraVars = JSON.parse(JSON.stringify(c.data.extraVars ?? {}).replaceAll('{{ case_dir }}', dir).replaceAll('{{ repo }}', REPO)) as Record<string, unknown>;
      const input = {
        playbook,
        runtime: playbookRuntime(templater),
        inventory,
        templater,
        root: '/etc/falco',
        options: { extraVars, findModule, coerceArgs: validateArgs, tagFilter: (tags: string[]) => selectByTags({ tags }) },
      };
      const got = await desiredFiles(input, 'w1', c.data.facts);
      const want = c.data.expect;
      if (!want.known) {
        const reason = got.known ? JSON.stringify(got) : got.reason.replaceAll(`${dir}/`, '');
        // a reason ending in … is matched up to there (the rest is the templating error's own wording)
        if (want.reason.endsWith('…')) expect(reason.startsWith(want.reason.slice(0, -1)), reason).to.equal(true);
        else expect(reason).to.equal(want.reason);
        return;
      }
      expect(got.known, JSON.stringify(got)).to.equal(true);
      if (!got.known) return;
      expect(got.files.map((f) => f.path).sort()).to.deep.equal(Object.keys(want.files).sort());
      for (const f of got.files) {
        const text = want.files[f.path];
        expect(f.sha256, f.path).to.match(/^[0-9a-f]{64}$/);
        if (text !== null) expect(f.sha256, f.path).to.equal(sha256(text));
      }
    });
  }
});
