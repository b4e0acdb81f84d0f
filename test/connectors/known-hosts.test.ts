import { expect } from 'chai';
import {
  checkHostKey,
  describeHostKey,
  entryMatchesHost,
  formatKnownHostsLine,
  knownHostsName,
  parseKnownHosts,
} from '../../src/connectors/known-hosts.js';
import { loadCases } from './case-files.js';

interface Case {
  name: string;
  known_hosts: string;
  host: string;
  port: number;
  key: string;
  expect: { status: string; line?: number; otherTypes?: string[] };
}

const file = loadCases<{ keys: Record<string, string>; fingerprints: Record<string, string>; cases: Case[] }>('known-hosts.yaml');
const blob = (k: string) => Buffer.from(file.keys[k].split(' ')[1], 'base64');
const expand = (text: string) => text.replace(/\$([A-Z])/g, (_, k: string) => file.keys[k]);

describe('connectors/known-hosts (test/cases/connectors/known-hosts.yaml)', () => {
  for (const c of file.cases) {
    it(c.name, () => {
      const entries = parseKnownHosts(expand(c.known_hosts), 'kh');
      const verdict = checkHostKey(entries, [knownHostsName(c.host, c.port)], describeHostKey(blob(c.key)));
      const actual: Case['expect'] = { status: verdict.status };
      if (c.expect.line !== undefined && 'entry' in verdict) actual.line = verdict.entry.line;
      if (c.expect.otherTypes !== undefined && verdict.status === 'unknown') actual.otherTypes = verdict.otherTypes.map((e) => e.keyType);
      expect(actual).to.deep.equal(c.expect);
    });
  }

  for (const k of Object.keys(file.keys)) {
    it(`key ${k}: type from the blob and SHA256 fingerprint as ssh-keygen -lf prints it`, () => {
      const info = describeHostKey(blob(k));
      expect(info.type).to.equal(file.keys[k].split(' ')[0]);
      expect(info.fingerprint).to.equal(file.fingerprints[k]);
    });
  }

  it('a hashed line we write matches its host (and only it), like ssh-keygen -H output', () => {
    const line = formatKnownHostsLine('[127.0.0.1]:2201', describeHostKey(blob('A')), true);
    expect(line).to.match(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    const [entry] = parseKnownHosts(line, 'kh');
    expect(entryMatchesHost(entry, '[127.0.0.1]:2201')).to.equal(true);
    expect(entryMatchesHost(entry, '[127.0.0.1]:2202')).to.equal(false);
  });
});
