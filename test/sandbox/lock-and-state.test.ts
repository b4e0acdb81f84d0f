import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../src/sandbox/exec.js';
import { withLock } from '../../src/sandbox/lock.js';
import { StateFile } from '../../src/sandbox/state.js';
import type { SandboxState } from '../../src/sandbox/types.js';

describe('sandbox lock', () => {
  let base: string;
  beforeEach(() => (base = mkdtempSync(join(tmpdir(), 'fd-lock-'))));
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('runs critical sections one at a time', async () => {
    const lock = join(base, 'lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(lock, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(maxInside).to.equal(1);
  });

  it('breaks a lock whose owner process is gone', async () => {
    const lock = join(base, 'lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '999999999');
    expect(await withLock(lock, async () => 'got it', 2000)).to.equal('got it');
  });

  it('times out with the lock path while a live process holds it', async () => {
    const lock = join(base, 'lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    let error: Error | undefined;
    await withLock(lock, async () => undefined, 200).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/timed out waiting for the sandbox lock .*lock/);
  });
});

describe('sandbox state.json', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const state = (d: string): SandboxState => ({
    version: 1, name: 't', kind: 'lite', dir: d, dirCreated: true, rootfs: '/r', octet: 1, blocks: 1,
    createdAt: 'T', files: [], ready: false, hosts: [{ name: 't-h1', ip: '10.213.1.1', kind: 'lite' }],
  });

  it('is on disk as soon as record() returns (written before the resource is created)', () => {
    const s = new StateFile(state(dir));
    s.record((st) => (st.hosts[0].netns = 'fd-t-h1'));
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).hosts[0].netns).to.equal('fd-t-h1');
    expect(StateFile.read(dir)?.host('t-h1').netns).to.equal('fd-t-h1');
  });

  it('reads as absent when there is none, and names the file when it is unreadable', () => {
    expect(StateFile.read(dir)).to.equal(undefined);
    writeFileSync(join(dir, 'state.json'), '{"version": 9}');
    expect(() => StateFile.read(dir)).to.throw(/state\.json: unknown state version 9/);
  });
});
