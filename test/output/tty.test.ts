import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { pickRenderer } from '../../src/output/pick.js';
import { PlainRenderer } from '../../src/output/plain.js';
import { TtyRenderer } from '../../src/output/tty.js';
import type { RunEvent } from '../../src/output/events.js';

const stats = { ok: 0, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 };

/** Runs `body` with process.stdout claiming to be a terminal of `columns`, capturing what listr2 draws. */
async function onTerminal(columns: number | undefined, body: () => Promise<void>): Promise<string> {
  const saved = {
    isTTY: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
    columns: Object.getOwnPropertyDescriptor(process.stdout, 'columns'),
    write: process.stdout.write,
  };
  let drawn = '';
  Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
  Object.defineProperty(process.stdout, 'columns', { value: columns, configurable: true, writable: true });
  process.stdout.write = ((chunk: unknown) => {
    drawn += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await body();
  } finally {
    process.stdout.write = saved.write;
    for (const key of ['isTTY', 'columns'] as const) {
      if (saved[key]) Object.defineProperty(process.stdout, key, saved[key]!);
      else delete (process.stdout as unknown as Record<string, unknown>)[key];
    }
  }
  return drawn;
}

describe('TTY renderer on a terminal without a usable width', () => {
  const savedCi = process.env.CI;
  before(() => delete process.env.CI);
  after(() => {
    if (savedCi !== undefined) process.env.CI = savedCi;
  });

  for (const [columns, expected] of [[0, PlainRenderer], [undefined, PlainRenderer], [10, PlainRenderer], [80, TtyRenderer]] as const) {
    it(`a terminal of ${columns} columns gets the ${expected.name}`, async () => {
      const out = Object.assign(new PassThrough(), { isTTY: true, columns });
      expect(await pickRenderer({ json: false, verbose: 0, showDiff: false, out })).to.be.instanceOf(expected);
    });
  }

  it('a terminal resized to 0 columns mid-run: no crash, no hang, no row drawn one character per line', async function () {
    this.timeout(5000);
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const drawn = await onTerminal(0, async () => {
      const tty = new TtyRenderer({ out, verbose: 0, showDiff: false });
      const events: RunEvent[] = [
        { type: 'play_start', play: 'p', hosts: ['h1', 'h2'] },
        { type: 'task_start', task: 'a long task name '.repeat(4), hosts: ['h1', 'h2'] },
        { type: 'host_result', host: 'h1', task: 't', status: 'failed', msg: 'boom' },
        { type: 'host_result', host: 'h2', task: 't', status: 'ok' },
        { type: 'recap', stats: { h1: stats, h2: { ...stats, ok: 1, failed: 0 } } },
      ];
      for (const e of events) tty.onEvent(e);
      await new Promise((r) => setTimeout(r, 200));
      await tty.end();
    });
    expect(drawn.split('\n').length).to.be.below(10);
    expect(text).to.include('fatal: [h1]: FAILED! => {"msg": "boom"}');
    expect(text).to.match(/PLAY RECAP[\s\S]*h2\s+: ok=1/);
  });
});

describe('TTY renderer rows and unreachable results', () => {
  const savedCi = process.env.CI;
  before(() => delete process.env.CI);
  after(() => {
    if (savedCi !== undefined) process.env.CI = savedCi;
  });

  for (const [ignored, row] of [
    [true, 'h1: done  (ok=2 changed=0 failed=0 skipped=0)'],
    [false, 'h1: failed  (ok=0 changed=0 failed=1 skipped=0)'],
  ] as const) {
    it(`ignore_unreachable ${ignored}: the row shows ${row}`, async function () {
      this.timeout(5000);
      const out = new PassThrough();
      out.resume();
      const drawn = await onTerminal(80, async () => {
        const tty = new TtyRenderer({ out, verbose: 0, showDiff: false });
        const events: RunEvent[] = [
          { type: 'play_start', play: 'p', hosts: ['h1'] },
          { type: 'task_start', task: 'lost', hosts: ['h1'] },
          { type: 'host_result', host: 'h1', task: 'lost', status: 'unreachable', msg: 'refused', ignored },
          { type: 'task_start', task: 'next', hosts: ['h1'] },
          ...(ignored ? [{ type: 'host_result', host: 'h1', task: 'next', status: 'ok' } as const] : []),
          { type: 'recap', stats: { h1: stats } },
        ];
        for (const e of events) tty.onEvent(e);
        await tty.end();
      });
      expect(drawn).to.include(row);
    });
  }
});
