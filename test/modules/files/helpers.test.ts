/** Table runner for the small pure helpers of the file modules (cases/*.yaml next to this file). */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { globWord } from '../../../src/facts/path-exists.js';
import { normalizeMode } from '../../../src/modules/files/mode.js';
import { expandingWord } from '../../../src/modules/files/expanding-word.js';
import { shlexSplit } from '../../../src/shell/shlex.js';

function table<T>(name: string): T[] {
  return parse(readFileSync(fileURLToPath(new URL(`./cases/${name}.yaml`, import.meta.url)), 'utf8')) as T[];
}

describe('file module helpers (table-driven)', () => {
  for (const c of table<{ mode: string | number; current?: string; dir?: boolean; want?: string; error?: string; note?: string }>('mode')) {
    it(`mode ${JSON.stringify(c.mode)}${c.current ? ` on ${c.current}` : ''}${c.dir ? ' (dir)' : ''}`, () => {
      const run = () => normalizeMode(c.mode, c.current ? parseInt(c.current, 8) : 0, !!c.dir);
      if (c.error) expect(run).to.throw(c.error);
      else expect(run()).to.equal(c.want);
    });
  }
  for (const c of table<{ text: string; argv?: string[]; error?: string }>('shlex')) {
    it(`shlex ${JSON.stringify(c.text)}`, () => {
      if (c.error) expect(() => shlexSplit(c.text)).to.throw(c.error);
      else expect(shlexSplit(c.text)).to.deep.equal(c.argv);
    });
  }
  for (const c of table<{ pattern: string; word: string }>('glob-word')) {
    it(`glob word ${c.pattern}`, () => expect(globWord(c.pattern)).to.equal(c.word));
  }
  for (const c of table<{ arg: string; word: string }>('expanding-word')) {
    it(`argv word ${JSON.stringify(c.arg)}`, () => expect(expandingWord(c.arg)).to.equal(c.word));
  }
  for (const c of table<{ arg: string; env: Record<string, string>; expands: string }>('expanding-word-run')) {
    it(`argv word ${JSON.stringify(c.arg)} expands in sh as Python's expandvars`, () => {
      const out = execFileSync('sh', ['-c', `printf %s ${expandingWord(c.arg)}`], { env: { PATH: process.env.PATH, ...c.env } });
      expect(out.toString()).to.equal(c.expands);
    });
  }
});
