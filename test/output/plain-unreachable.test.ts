import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { PlainRenderer } from '../../src/output/plain.js';

const MSG = 'connection refused by root@10.0.0.1:22';
const FATAL = `fatal: [h1]: UNREACHABLE! => {"changed": false, "msg": "${MSG}", "unreachable": true}\n`;

describe('plain output of an unreachable result, as ansible-core 2.14 default callback', () => {
  const cases = [
    { name: 'not ignored: the fatal line alone', ignored: false, want: FATAL },
    { name: 'ignore_unreachable: the fatal line, then ...ignoring', ignored: true, want: `${FATAL}...ignoring\n` },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      new PlainRenderer({ out, verbose: 0, showDiff: false }).onEvent({ type: 'host_result', host: 'h1', task: 't', status: 'unreachable', msg: MSG, ignored: c.ignored });
      expect(text).to.equal(c.want);
    });
  }
});
