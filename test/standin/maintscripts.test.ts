/**
 * ONE runner for the maintainer-script cases: test/standin/cases/maintscripts/*.yaml
 *
 * The package's own postinst/prerm run with `systemctl` and `falcoctl` replaced by stubs
 * that log their arguments (start/stop/daemon-reload fail as on a host without systemd
 * unless `systemd: true`), so the decisions of the script are checked without touching
 * this machine. The postinst's JSON record lands under FALCO_STANDIN_TEST_ROOT.
 *
 *   script: postinst | prerm     (default postinst)
 *   version: 0.43.0               (default 0.44.1)
 *   args: [configure, "<old version or empty>"]
 *   env: { FALCO_FRONTEND: ..., ... }
 *   systemd: true|false           stub_driver: what `falcoctl driver printenv` reports
 *   fail: [commands that exit 1]
 *   expect: { status, calls_in_order: [...], not_calls: [prefixes], record: {...}, record_env: {...} }
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases } from '../support/cases.js';
import { NEW_VERSION, readLines, run, standinFixture } from './support.js';

interface ScriptCase {
  description?: string;
  script?: 'postinst' | 'prerm';
  version?: string;
  args: string[];
  env?: Record<string, string>;
  systemd?: boolean;
  stub_driver?: string;
  fail?: string[];
  expect: {
    status: number;
    calls_in_order?: string[];
    not_calls?: string[];
    record?: Record<string, unknown>;
    record_env?: Record<string, unknown>;
  };
}

const STUB_SYSTEMCTL = `#!/bin/sh
echo "systemctl $*" >> "$CALLS"
case " $* " in
  *" start "*|*" stop "*|*" restart "*|*" daemon-reload "*)
    if [ "$STUB_SYSTEMD" != yes ]; then
      echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2
      exit 1
    fi ;;
esac
exit 0
`;
const STUB_FALCOCTL = `#!/bin/sh
echo "falcoctl $*" >> "$CALLS"
case "$STUB_FAIL" in *"|falcoctl $*|"*) echo "stub: failing on purpose" >&2; exit 1 ;; esac
[ "$1 $2" = "driver printenv" ] && echo "DRIVER=\\"$STUB_DRIVER\\""
exit 0
`;

const root = fileURLToPath(new URL('./cases', import.meta.url));

/** true when `wanted` appears in `calls` in this order (other calls may be in between) */
function subsequenceMiss(calls: string[], wanted: string[]): string | undefined {
  let i = 0;
  for (const w of wanted) {
    while (i < calls.length && calls[i] !== w) i++;
    if (i === calls.length) return w;
    i++;
  }
  return undefined;
}

describe('falco stand-in maintainer scripts (table-driven)', function () {
  this.timeout(60_000);
  before(() => standinFixture());

  for (const c of loadCases<ScriptCase>(root).filter((x) => x.group === 'maintscripts')) {
    it(`${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const version = String(c.data.version ?? NEW_VERSION);
      const dir = mkdtempSync(join(standinFixture().dir, 'maint-'));
      const control = join(dir, 'DEBIAN');
      expect(run('dpkg-deb', ['-e', standinFixture().deb(version), control]).status).to.equal(0);
      mkdirSync(join(dir, 'bin'));
      for (const [name, body] of [['systemctl', STUB_SYSTEMCTL], ['falcoctl', STUB_FALCOCTL]]) {
        writeFileSync(join(dir, 'bin', name), body);
        chmodSync(join(dir, 'bin', name), 0o755);
      }
      const testRoot = join(dir, 'testroot');
      mkdirSync(testRoot);
      symlinkSync(join(standinFixture().roots[version], 'usr'), join(testRoot, 'usr'));
      const calls = join(dir, 'calls.log');
      writeFileSync(calls, '');
      const env: NodeJS.ProcessEnv = {
        PATH: `${join(dir, 'bin')}:/usr/sbin:/usr/bin:/sbin:/bin`,
        HOME: dir,
        CALLS: calls,
        STUB_SYSTEMD: c.data.systemd ? 'yes' : 'no',
        STUB_DRIVER: c.data.stub_driver ?? '',
        STUB_FAIL: (c.data.fail ?? []).map((f) => `|${f}|`).join(''),
        FALCO_STANDIN_TEST_ROOT: testRoot,
        ...c.data.env,
      };
      const script = join(control, c.data.script ?? 'postinst');
      const r = run('/usr/bin/env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/bin/sh', script,
        ...c.data.args.map(String)]);
      const logged = readLines(calls);
      const context = `status ${r.status}\n--- calls\n${logged.join('\n')}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
      expect(r.status, context).to.equal(c.data.expect.status);
      const missing = subsequenceMiss(logged, c.data.expect.calls_in_order ?? []);
      expect(missing, `call missing or out of order\n${context}`).to.equal(undefined);
      for (const prefix of c.data.expect.not_calls ?? []) {
        expect(logged.filter((l) => l.startsWith(prefix)), `unexpected "${prefix}"\n${context}`).to.deep.equal([]);
      }
      if (c.data.expect.record || c.data.expect.record_env) {
        const lines = readLines(join(testRoot, 'var/lib/falco-standin/postinst.log'));
        expect(lines, `no postinst record\n${context}`).to.have.length(1);
        const record = JSON.parse(lines[0]);
        expect(record.script).to.equal('postinst');
        expect(record).to.include(c.data.expect.record ?? {});
        expect(record.env).to.include(c.data.expect.record_env ?? {});
      }
    });
  }
});
