import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { quote, quoteArgv, raw, sh } from '../../src/shell/quote.js';

const cases = parse(readFileSync(new URL('../cases/shell/quote.yaml', import.meta.url), 'utf8')) as {
  in: string | number | boolean;
  out: string;
}[];

/** What /bin/sh makes of a command line: each argument on its own NUL-terminated record. */
function shellWords(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
  for (const c of cases) {
    it(`quote(${JSON.stringify(c.in)})`, () => {
      expect(quote(c.in)).to.equal(c.out);
      expect(shellWords(quote(c.in))).to.deep.equal([String(c.in)]);
    });
  }

  it('quoteArgv keeps every argument one word', () => {
    const argv = cases.map((c) => String(c.in));
    expect(shellWords(quoteArgv(argv))).to.deep.equal(argv);
  });

  it('sh quotes interpolations, expands arrays, keeps raw fragments', () => {
    const files = ['a b', "c'd"];
    const cmd = sh`printf '%s\\0' ${files} ${raw('"$0"')} ${'$x'}`;
    expect(cmd).to.equal(`printf '%s\\0' 'a b' 'c'\\''d' "$0" '$x'`);
    const out = execFileSync('/bin/sh', ['-c', cmd], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).to.deep.equal(['a b', "c'd", '/bin/sh', '$x']);
  });
});
