/** Output of one command is bounded: first and last half of the limit kept, a note in between. */
import { expect } from 'chai';
import { CappedOutput, truncationNote } from '../../src/connectors/output-limit.js';
import { FrameReader, type Frame } from '../../src/connectors/shell-protocol.js';

describe('connectors/output-limit', () => {
  it('keeps everything up to the limit, in any chunking', () => {
    for (const size of [1, 3, 10]) {
      const c = new CappedOutput(10);
      const data = Buffer.from('0123456789');
      for (let i = 0; i < data.length; i += size) c.push(data.subarray(i, i + size));
      expect(c.toBuffer().toString()).to.equal('0123456789');
    }
  });

  it('past the limit keeps the first and last half around a note with the real size', () => {
    for (const size of [1, 4, 7, 1000]) {
      const c = new CappedOutput(10);
      const data = Buffer.from('abcdefghijklmnopqrstuvwxyz');
      for (let i = 0; i < data.length; i += size) c.push(data.subarray(i, i + size));
      expect(c.toBuffer().toString(), `chunk ${size}`).to.equal(`abcde${truncationNote(26, 5, 5)}vwxyz`);
      expect(c.size).to.equal(26);
    }
  });

  it('a frame reader cuts a huge command output and still frames the next command', () => {
    const delim = 'FDXtestdelim';
    const reader = new FrameReader(delim, 'R');
    reader.expect(1000);
    reader.expect(1000);
    const frames: Frame[] = [];
    frames.push(...reader.push(Buffer.from('R\n')));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let i = 0; i < 320; i++) frames.push(...reader.push(chunk)); // 20 MiB
    frames.push(...reader.push(Buffer.from(`zz\n${delim}:1:0\nsmall\n${delim}:2:3\n`)));
    expect(frames.map((f) => f.id)).to.deep.equal([1, 2]);
    const body = frames[0].body.toString();
    expect(body).to.have.length.below(1200);
    expect(body).to.include(`[output truncated: ${320 * 64 * 1024 + 2} bytes, showing the first 500 and the last 500]`);
    expect(body.endsWith('azz')).to.equal(true);
    expect(frames[1]).to.deep.include({ exitCode: 3, body: Buffer.from('small') });
  });
});
