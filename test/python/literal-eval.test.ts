import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { literalEval } from '../../src/python/literal-eval.js';
import { pyRepr } from '../../src/python/repr.js';
import { literalEval as templateLiteralEval } from '../../src/template/pyvalue.js';

/** Recorded from Ansible's ansible_eval_concat / INI _parse_value by test/python/record-literal-eval.py. */
const cases = parse(readFileSync(new URL('../cases/python/literal-eval.yaml', import.meta.url), 'utf8')) as {
  mode: 'template' | 'ini';
  text?: string;
  open?: string;
  close?: string;
  depth?: number;
  repr?: string;
  kept?: boolean;
}[];

const evaluate = {
  template: (text: string) => templateLiteralEval(text),
  ini: (text: string) => literalEval(text, { json: true }),
};

describe('ast.literal_eval (one parser, as Ansible calls it)', () => {
  for (const c of cases) {
    const text = c.text ?? c.open!.repeat(c.depth!) + c.close!.repeat(c.depth!);
    const label = c.text !== undefined ? JSON.stringify(c.text) : `${c.open}*${c.depth} ${c.close}*${c.depth}`;
    it(`${c.mode}: ${label} -> ${c.kept ? 'kept as text' : c.repr!.slice(0, 60)}`, () => {
      const parsed = evaluate[c.mode](text);
      if (c.kept) expect(parsed.ok).to.equal(false);
      else expect(parsed.ok && pyRepr(parsed.value)).to.equal(c.repr);
    });
  }

  it('a dict literal keeps __proto__ as an ordinary key, never a prototype', () => {
    const parsed = literalEval("{'__proto__': {'polluted': 1}}", { json: true });
    expect(parsed.ok && Object.getPrototypeOf(parsed.value)).to.equal(Object.prototype);
    expect(parsed.ok && Object.keys(parsed.value as object)).to.deep.equal(['__proto__']);
  });

  it('JSON output (inventory): floats are plain numbers, non-string keys named as json.dumps writes them', () => {
    expect(literalEval('[1.0, {True: 1, None: 2, 1.5: 3}]', { json: true })).to.deep.equal({
      ok: true,
      value: [1, { true: 1, null: 2, '1.5': 3 }],
    });
  });

  it('template data: keys named by str(), sets become lists of their members', () => {
    expect(templateLiteralEval('[{True: 1, 1: 2}, {1, 1.0, 2}]')).to.deep.equal({ ok: true, value: [{ True: 2 }, [1, 2]] });
  });
});
