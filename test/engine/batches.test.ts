import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { batchFailed, serialBatches, templatedMaxFail } from '../../src/engine/batches.js';

const cases = parse(readFileSync(new URL('../cases/engine/serial.yaml', import.meta.url), 'utf8')) as {
  hosts: number;
  serial: unknown;
  sizes: number[];
}[];

describe('serial batches', () => {
  for (const c of cases) {
    it(`${c.hosts} hosts, serial ${JSON.stringify(c.serial)} -> ${JSON.stringify(c.sizes)}`, () => {
      const hosts = Array.from({ length: c.hosts }, (_, i) => `h${i + 1}`);
      const batches = serialBatches(hosts, c.serial ?? undefined);
      expect(batches.map((b) => b.length)).to.deep.equal(c.sizes);
      expect(batches.flat()).to.deep.equal(hosts);
    });
  }

  it('rejects a serial value that is neither number nor percentage', () => {
    expect(() => serialBatches(['a'], 'lots')).to.throw(/serial: "lots"/);
    // Ansible's int("12.5") fails too
    expect(() => serialBatches(['a'], '12.5%')).to.throw(/serial: "12.5%"/);
    expect(() => serialBatches(['a'], [1, [2]])).to.throw(/serial: \[2\]/);
  });

  it('max_fail_percentage stops only when the share is exceeded', () => {
    expect(batchFailed(10, 3, 30)).to.equal(false);
    expect(batchFailed(10, 4, 30)).to.equal(true);
    expect(batchFailed(4, 0, 0)).to.equal(false);
    expect(batchFailed(4, 1, 0)).to.equal(true);
    expect(batchFailed(3, 2, undefined)).to.equal(false);
    expect(batchFailed(3, 3, undefined)).to.equal(true);
  });

  it('max_fail_percentage as a template is read at run time (number, "30", "30%"); anything else is an input error', () => {
    const template = (result: unknown) => () => result;
    expect(templatedMaxFail(20, template('unused'))).to.equal(20);
    expect(templatedMaxFail(undefined, template('unused'))).to.equal(undefined);
    expect(templatedMaxFail('{{ x }}', template(30))).to.equal(30);
    expect(templatedMaxFail('{{ x }}', template('30%'))).to.equal(30);
    expect(templatedMaxFail('{{ x }}', template('0'))).to.equal(0);
    expect(() => templatedMaxFail('{{ x }}', template('lots'))).to.throw(/max_fail_percentage: "lots" is not a number from 0 to 100/);
    expect(() => templatedMaxFail('{{ x }}', template(101))).to.throw(/max_fail_percentage: 101/);
  });
});
