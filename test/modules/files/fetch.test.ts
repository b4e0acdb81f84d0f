/** fetch reads through the probe (read-only on the host) and writes the controller copy in finish. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { applyModule, localContext } from './local-host.js';

describe('fetch applied locally', () => {
  let remote: string;
  let controller: string;
  beforeEach(() => {
    remote = mkdtempSync(join(tmpdir(), 'fd-fetch-remote-'));
    controller = mkdtempSync(join(tmpdir(), 'fd-fetch-ctl-'));
  });
  afterEach(() => {
    rmSync(remote, { recursive: true, force: true });
    rmSync(controller, { recursive: true, force: true });
  });
  const ctx = (check = false) => localContext({ host: 'web-1', check, resolveLocalPath: (p) => (isAbsolute(p) ? p : join(controller, p)) });

  it('writes dest/<host>/<src>, then reports no change', async () => {
    const src = join(remote, 'falco.log');
    writeFileSync(src, Buffer.from([0, 1, 2, 255]));
    const first = await applyModule('fetch', { src, dest: 'out' }, ctx());
    expect(first.plan.commands).to.deep.equal([]);
    const local = join(controller, 'out', 'web-1', src);
    expect(first.result).to.include({ changed: true, dest: local });
    expect(readFileSync(local).equals(Buffer.from([0, 1, 2, 255]))).to.equal(true);
    const again = await applyModule('fetch', { src, dest: 'out' }, ctx());
    expect(again.result.changed).to.equal(false);
  });

  it('does not write in check mode', async () => {
    const src = join(remote, 'x');
    writeFileSync(src, 'x');
    const r = await applyModule('fetch', { src, dest: 'out/', flat: true }, ctx(true));
    expect(r.result).to.include({ changed: true, dest: join(controller, 'out', 'x') });
    expect(() => readFileSync(join(controller, 'out', 'x'))).to.throw();
  });
});
