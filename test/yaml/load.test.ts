/**
 * Ansible's DataLoader (parseAnsibleYaml): merge keys, duplicate keys, JSON first, vault without passwords refused,
 * hostile input refused; errors are InputErrors naming the file, line and column
 * (test/cases/yaml/loader/*.yaml).
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { toPlainData } from '../../src/template/pyvalue.js';
import { parseAnsibleYaml, safeLoad } from '../../src/yaml/load.js';

interface Case {
  name: string;
  text: string;
  value?: unknown;
  keys?: string[];
  error?: { contains: string; line: number; column?: number };
}

const dir = fileURLToPath(new URL('../cases/yaml/loader', import.meta.url));

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  describe(`YAML loader cases: ${file}`, () => {
    for (const c of safeLoad(readFileSync(join(dir, file), 'utf8')) as Case[]) {
      it(c.name, () => {
        if (!c.error) {
          const got = parseAnsibleYaml(c.text, 'vars.yml');
          expect(toPlainData(got)).to.deep.equal(toPlainData(c.value ?? null));
          if (c.keys) expect(Object.keys(got as object)).to.deep.equal(c.keys);
          return;
        }
        let caught: unknown;
        try {
          parseAnsibleYaml(c.text, 'vars.yml');
        } catch (err) {
          caught = err;
        }
        expect(caught).to.be.instanceOf(InputError);
        const e = caught as InputError;
        expect(e.message).to.include(c.error.contains);
        expect({ file: e.file, line: e.line }).to.deep.equal({ file: 'vars.yml', line: c.error.line });
        if (c.error.column !== undefined) expect(e.column).to.equal(c.error.column);
      });
    }
  });
}
