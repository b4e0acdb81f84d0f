/**
 * apt_key parts the case files cannot express: the task environment's proxy on the keyserver
 * command (add_http_proxy) and finish() building Ansible's failure results from the captured run.
 */
import { expect } from 'chai';
import { aptKeyCommand, finishAptKey } from '../../../src/modules/system/apt-key-script.js';
import { findModule } from '../../../src/modules/registry.js';
import { ProbedFacts } from '../../../src/facts/request.js';
import { aptKeyTools } from '../../../src/facts/apt-keys.js';
import { parseKeyId } from '../../../src/modules/system/key-script.js';
import type { ModuleContext, Plan } from '../../../src/modules/contract.js';

const FPR = '3A9BC1386DC870C3A2CC80B70796669956304E3C';
const captured = (name: string, rc: number, stdout: string, stderr = '') => `--falco-deploy-captured-- ${name} ${rc}\n${stdout}\n--falco-deploy-captured-err--\n${stderr}\n`;
const exec = (stdout: string) => [{ stdout, stderr: '', exitCode: 0, durationMs: 0 }];
const noError = (what: string) => `no error: ${what}`;

describe('apt_key', () => {
  it('puts the first proxy variable of the task environment on the keyserver command (HTTPS_PROXY first)', async () => {
    const mod = findModule('ansible.builtin.apt_key')!;
    const ctx = { host: 'h', facts: {}, check: false, diff: false, become: false, environment: { http_proxy: 'http://b:3128', HTTPS_PROXY: 'http://a:3128' } } as unknown as ModuleContext;
    const args = { id: FPR, keyserver: 'hkp://ks.example', validate_certs: true, state: 'present' };
    const tools = aptKeyTools(null);
    const facts = new ProbedFacts({ [tools.key]: { aptKey: '/usr/bin/apt-key', gpg: '/usr/bin/gpg', locales: ['C'], list: { name: 'list', rc: 0, stdout: '', stderr: '' } } });
    const plan = await mod.plan(args, facts, ctx);
    expect(plan.commands[0].command).to.include(`--keyserver hkp://ks.example --keyserver-options http-proxy=http://a:3128 --recv ${FPR}`);
  });

  it("parses ids as apt_key.py's parse_key_id", () => {
    expect(parseKeyId(`0x${FPR.toLowerCase()}`)).to.deep.equal({ short: '56304E3C', fingerprint: '0796669956304E3C', keyId: FPR });
    expect(parseKeyId('0796669956304e3c')).to.deep.equal({ short: '56304E3C', fingerprint: '0796669956304E3C', keyId: '0796669956304E3C' });
    for (const bad of [null, '', 'XYZ12345', '0x123456789', '1234567', 'DEAD BEEF']) expect(parseKeyId(bad), String(bad)).to.equal(undefined);
  });

  describe('finish', () => {
    const planFor = (action: Parameters<typeof aptKeyCommand>[2], shortFormat = false): Plan => {
      const { command, pending } = aptKeyCommand('/usr/bin/apt-key', '/k.gpg', action, shortFormat);
      return { commands: [command], changed: true, result: { changed: true, id: FPR, short_id: '56304E3C', fp: '0796669956304E3C', key_id: FPR, before: [], pending } };
    };

    it('an added key that shows in the listing: changed, with after', () => {
      const out = finishAptKey(planFor({ kind: 'add-file', file: '/k.asc' }), exec(captured('action', 0, 'OK') + captured('after', 0, 'pub   ed25519/0796669956304E3C 2026-12-03 [SC]\n')), noError);
      expect(out).to.deep.equal({ changed: true, id: FPR, short_id: '56304E3C', fp: '0796669956304E3C', key_id: FPR, before: [], after: ['0796669956304E3C'] });
    });

    it('apt-key add succeeding without the key appearing (a subkey id): Ansible\'s "did not return an error" failure', () => {
      const out = finishAptKey(planFor({ kind: 'add-data', data: Buffer.from('k') }), exec(captured('action', 0, 'OK') + captured('after', 0, '')), noError);
      expect(out).to.include({ failed: true, msg: 'no error: failed to add the key' });
      expect(out.after).to.deep.equal([]);
    });

    it('a failing apt-key add of a file: its cmd, rc, keyfile and output', () => {
      const out = finishAptKey(planFor({ kind: 'add-file', file: '/k.asc' }), exec(captured('action', 2, '', 'gpg: no valid OpenPGP data found.\n')), noError);
      expect(out).to.deep.equal({
        changed: false, failed: true, cmd: '/usr/bin/apt-key --keyring /k.gpg add /k.asc', msg: 'Unable to add a key from file /k.asc', rc: 2, keyfile: '/k.asc',
        stdout: '', stdout_lines: [], stderr: 'gpg: no valid OpenPGP data found.\n', stderr_lines: ['gpg: no valid OpenPGP data found.'],
      });
    });

    it('a keyserver without the key: "not found on keyserver" (rc 2), judged on the last of the tries', () => {
      const plan = planFor({ kind: 'recv', keyserver: 'hkp://ks.example', keyId: FPR, locale: 'C.utf8' });
      const tries = captured('action', 2, 'x').repeat(4) + captured('action', 2, `gpg: key ${FPR} not found on keyserver`);
      expect(finishAptKey(plan, exec(tries), noError)).to.deep.equal({
        changed: false, failed: true, cmd: `/usr/bin/apt-key --keyring /k.gpg adv --no-tty --keyserver hkp://ks.example --recv ${FPR}`,
        msg: `Key ${FPR} not found on keyserver hkp://ks.example`, forced_environment: { LANG: 'C.utf8', LC_ALL: 'C.utf8', LC_MESSAGES: 'C.utf8' },
      });
    });

    it('a key still listed after apt-key del: "the key was not removed"', () => {
      const out = finishAptKey(planFor({ kind: 'del', shortId: '56304E3C' }), exec(captured('action', 0, 'OK') + captured('after', 0, 'pub   ed25519/0796669956304E3C 2026-12-03 [SC]\n')), noError);
      expect(out).to.include({ failed: true, msg: 'no error: the key was not removed' });
    });
  });
});
