import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { TtyRenderer } from '../../src/output/tty.js';

describe('TTY renderer and Ctrl-C', () => {
  it('leaves SIGINT to the CLI (listr2 would otherwise exit 127 with no recap and no remote cleanup)', async () => {
    const out = new PassThrough();
    out.resume();
    const before = process.listenerCount('SIGINT');
    const r = new TtyRenderer({ out, verbose: 0, showDiff: false });
    r.onEvent({ type: 'play_start', play: 'p', hosts: ['h1', 'h2'] });
    r.onEvent({ type: 'task_start', task: 't', hosts: ['h1', 'h2'] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(process.listenerCount('SIGINT')).to.equal(before);
    r.onEvent({ type: 'recap', stats: {}, interrupted: true });
    await r.end();
  });
});
