/**
 * The alerts snippets run by the local /bin/sh on real files: reading from the end (a large
 * file is not pulled whole), following across rotation and truncation.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followProbe, tailProbe, type FilePosition } from '../../src/alerts/file-probes.js';
import type { FactRequest } from '../../src/facts/request.js';

function runLocal<T>(req: FactRequest<T>): { value: T; bytes: number } {
  const stdout = execFileSync('/bin/sh', ['-c', req.command], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { value: req.parse({ stdout, stderr: '', exitCode: 0, durationMs: 0 }), bytes: Buffer.byteLength(stdout) };
}

const line = (time: string, rule = 'R') => JSON.stringify({ time, priority: 'Warning', rule, output: `x ${'y'.repeat(100)}` }) + '\n';

describe('alerts file snippets (local sh)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-alerts-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a 16 MB file from its end: only the window back to --since comes over', () => {
    const f = join(dir, 'events.json');
    const old = line('2026-12-03T08:00:00.000000000Z');
    writeFileSync(f, old.repeat(Math.ceil((16 << 20) / old.length)));
    const recent = ['09:59:58', '09:59:59', '10:00:00'].map((t) => line(`2026-12-03T${t}.000000000Z`));
    appendFileSync(f, recent.join(''));
    const { value, bytes } = runLocal(tailProbe(f, '2026-12-03T09:00:00.000000000Z', 256 << 20));
    expect(bytes).to.be.below(256 << 10);
    expect(value.lines.filter((l) => !l.includes('08:00:00'))).to.deep.equal(recent.map((l) => l.trimEnd()));
    expect(value.cut).to.equal(true);
  });

  it('stops at --max-bytes and says so', () => {
    const f = join(dir, 'events.json');
    writeFileSync(f, line('2026-12-03T10:00:00.000000000Z').repeat(20_000));
    const { value, bytes } = runLocal(tailProbe(f, '2026-12-03T09:00:00.000000000Z', 100_000));
    expect(bytes).to.be.below(101_000);
    expect(value.cut).to.equal(true);
    const perLine = line('2026-12-03T10:00:00.000000000Z').length;
    expect(value.lines.length).to.equal(Math.floor(100_000 / perLine));
  });

  it('follows across rotation (rest of the old file first) and truncation, losing nothing', () => {
    const f = join(dir, 'events.json');
    writeFileSync(f, 'a\nb\n');
    let pos: FilePosition = runLocal(tailProbe(f, '2026-01-01T00:00:00.000000000Z', 1 << 20)).value;
    const read = () => {
      const r = runLocal(followProbe(f, pos, 1 << 20)).value;
      pos = r;
      return r;
    };
    appendFileSync(f, 'c\n');
    expect(read()).to.include({ state: 'same', text: 'c\n' });
    appendFileSync(f, 'd\n');
    renameSync(f, `${f}.1`);
    expect(read()).to.include({ state: 'missing', text: 'd\n' });
    writeFileSync(f, 'e\n');
    expect(read()).to.include({ state: 'rotated', text: 'e\n' });
    appendFileSync(f, 'f\n');
    renameSync(f, `${f}.1`);
    writeFileSync(f, 'g\n');
    expect(read()).to.include({ state: 'rotated', text: 'f\ng\n' });
    appendFileSync(f, 'g2\n');
    expect(read()).to.include({ state: 'same', text: 'g2\n' });
    truncateSync(f, 0);
    appendFileSync(f, 'h\n');
    expect(read()).to.include({ state: 'truncated', text: 'h\n' });
    expect(read()).to.include({ state: 'same', text: '' });
  });
});
