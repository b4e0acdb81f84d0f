/** fetch streams the file (cat) into a controller temp file, checks its sha1, then renames it. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findModule } from '../../../src/modules/registry.js';
import { applyModule, localContext, runLocal } from './local-host.js';
import { fixtureFacts } from '../../support/fact-fixtures.js';

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
  const ctx = (check = false) => localContext({ host: 'web-1', check, playbookDir: controller });

  it('writes dest/<host>/<src> (relative dest from the playbook dir), then reports no change', async () => {
    const src = join(remote, 'falco.log');
    writeFileSync(src, Buffer.from([0, 1, 2, 255]));
    const first = await applyModule('fetch', { src, dest: 'out' }, ctx());
    expect(first.plan.commands.map((c) => c.stdoutFile !== undefined)).to.deep.equal([true]);
    const local = join(controller, 'out', 'web-1', src);
    const sha1 = createHash('sha1').update(Buffer.from([0, 1, 2, 255])).digest('hex');
    expect(first.result).to.include({ changed: true, dest: local, checksum: sha1, remote_checksum: sha1 });
    expect(readFileSync(local).equals(Buffer.from([0, 1, 2, 255]))).to.equal(true);
    expect(readdirSync(join(controller, 'out', 'web-1', remote))).to.deep.equal(['falco.log']);
    const again = await applyModule('fetch', { src, dest: 'out' }, ctx());
    expect(again.plan.commands).to.deep.equal([]);
    expect(again.result).to.include({ changed: false, dest: local });
  });

  it('dest ending in "/" gets <inventory_hostname>/<src> below it; flat writes dest/<basename>', async () => {
    const src = join(remote, 'x');
    writeFileSync(src, 'x');
    const tree = await applyModule('fetch', { src, dest: `${controller}/tree/` }, ctx());
    expect(tree.result.dest).to.equal(join(controller, 'tree', 'web-1', src));
    const flat = await applyModule('fetch', { src, dest: `${controller}/flat/`, flat: true }, ctx());
    expect(flat.result.dest).to.equal(join(controller, 'flat', 'x'));
    expect(readFileSync(join(controller, 'flat', 'x'), 'utf8')).to.equal('x');
  });

  it('flat onto an existing directory without a trailing slash fails as Ansible does', async () => {
    const src = join(remote, 'x');
    writeFileSync(src, 'x');
    mkdirSync(join(controller, 'd'));
    const r = await applyModule('fetch', { src, dest: join(controller, 'd'), flat: true }, ctx());
    expect(r.plan.failed).to.equal('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
  });

  it('a transfer that does not hash to the probed checksum is refused and leaves no file', async () => {
    const src = join(remote, 'x');
    writeFileSync(src, 'changed after the probe');
    const mod = findModule('fetch')!;
    const args = { src, dest: controller, flat: false };
    const stale = [{ fact: 'file_stat', args: { path: src }, value: { exists: true, type: 'file', checksum: '0'.repeat(40) } }];
    const plan = await mod.plan(args, fixtureFacts(await mod.probes(args, ctx()), stale, 'stale checksum'), ctx());
    const c = plan.commands[0];
    const r = runLocal(c.command);
    mkdirSync(dirname(c.stdoutFile!), { recursive: true });
    writeFileSync(c.stdoutFile!, r.stdoutBytes);
    const result = await mod.finish!(args, plan, [r], ctx());
    expect(result).to.include({ failed: true, changed: false, msg: 'checksum mismatch' });
    expect(readdirSync(join(controller, 'web-1', remote))).to.deep.equal([]);
  });

  it('is skipped in check mode and writes nothing', async () => {
    const src = join(remote, 'x');
    writeFileSync(src, 'x');
    const r = await applyModule('fetch', { src, dest: 'out/', flat: true }, ctx(true));
    expect(r.plan.skippedReason).to.equal('check mode not (yet) supported for this module');
    expect(existsSync(join(controller, 'out'))).to.equal(false);
  });
});
