/**
 * ONE runner for the sandbox's pure logic: test/sandbox/cases/<group>/<case>.yaml
 *
 *   description: what the case shows
 *   input: <argument of the group's function below>
 *   expect: <its result>                 # or
 *   error: "<regex the thrown message must match>"
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadCases } from '../support/cases.js';
import { inCgroupsArgv, systemdCgroupRoots } from '../../src/sandbox/cgroups.js';
import { liteArgv, nspawnArgv, type LaunchSpec } from '../../src/sandbox/launch.js';
import { parseMountPoints, mountsUnder } from '../../src/sandbox/mounts.js';
import {
  allocateBlock,
  blocksFor,
  bridgeIndex,
  bridgeName,
  hostAddress,
  isMemberLink,
  memberBridgesFor,
  hostName,
  netnsName,
  sandboxNameProblem,
  vethName,
  type AddressBlock,
} from '../../src/sandbox/naming.js';
import { hostSideBatch, linkNames, memberBridgesBatch, rootSideBatch, type HostNetwork } from '../../src/sandbox/network.js';
import { parseNsPids, parseProcessState, parseStartTime } from '../../src/sandbox/processes.js';
import { emptyRegistry, reserve, type SandboxRegistry } from '../../src/sandbox/registry.js';
import { iniValue, plainPathProblem, renderInventory, renderKnownHosts, renderSshConfig, type ClientFiles } from '../../src/sandbox/render.js';
import { describeMissing, missingTools, type MissingTool } from '../../src/sandbox/requirements.js';
import { hostFiles, type HostSeed } from '../../src/sandbox/seed.js';
import { teardownPlan } from '../../src/sandbox/state.js';
import { HOSTINIT_SCRIPT } from '../../src/sandbox/paths.js';
import type { SandboxKind, SandboxState } from '../../src/sandbox/types.js';

interface Case {
  description?: string;
  input: any;
  expect?: unknown;
  error?: string;
}

const groups: Record<string, (input: any) => unknown> = {
  'host-naming': (i: { sandbox: string; kind: SandboxKind; index: number; blockStart: number }) => {
    const host = hostName(i.sandbox, i.kind, i.index);
    return { host, netns: netnsName(host), veth: vethName(i.blockStart, i.index), ip: hostAddress(i.blockStart, i.index) };
  },
  'bridge-assignment': (i: { blockStart: number; hosts: number; hostsPerBridge?: number; show: number[] }) => ({
    hosts: Object.fromEntries(
      i.show.map((index) => [index, `${bridgeName(bridgeIndex(i.blockStart, index, i.hostsPerBridge))} ${hostAddress(i.blockStart, index)}`]),
    ),
    memberBridges: memberBridgesFor(i.blockStart, i.hosts, i.hostsPerBridge),
  }),
  'member-bridges': (i: { indices: number[]; existing: string[] }) => memberBridgesBatch(i.indices, new Set(i.existing)),
  'member-links': (ipLinkOutput: string) => linkNames(ipLinkOutput).filter(isMemberLink),
  'sandbox-name': (name: string) => sandboxNameProblem(name) ?? null,
  'allocate-block': (i: { used: AddressBlock[]; hosts: number }) => {
    const count = blocksFor(i.hosts);
    return { count, start: allocateBlock(i.used, count) ?? null };
  },
  reserve: (i: { registry?: SandboxRegistry; name: string; request: { dir: string; kind: SandboxKind; hosts: number } }) => {
    const r = reserve(i.registry ?? emptyRegistry(), i.name, { ...i.request, createdAt: 'T' });
    if (!r.ok) throw new Error(r.problem);
    return { entry: r.entry, names: Object.keys(r.registry.sandboxes).sort() };
  },
  'ini-value': (v: string | number | boolean) => iniValue(v),
  'plain-path': (p: string) => plainPathProblem(p) ?? null,
  inventory: (f: ClientFiles) => renderInventory(f),
  'ssh-config': (f: ClientFiles) => renderSshConfig(f),
  'known-hosts': (hosts: { ip: string; hostKey: string }[]) => renderKnownHosts(hosts),
  'teardown-plan': (s: SandboxState) => teardownPlan(s),
  'proc-stat': (stat: string) => ({ startTime: parseStartTime(stat), state: parseProcessState(stat) }),
  'proc-nspid': (status: string) => parseNsPids(status),
  mountinfo: (i: { text: string; under: string }) => ({ all: parseMountPoints(i.text), under: mountsUnder(i.under, parseMountPoints(i.text)) }),
  'net-batch': (hosts: HostNetwork[]) => ({ root: rootSideBatch(hosts), host: hosts.map(hostSideBatch) }),
  'launch-argv': (i: { kind: SandboxKind; spec: LaunchSpec }) =>
    (i.kind === 'lite' ? liteArgv(i.spec) : nspawnArgv(i.spec)).map((a) => (a === HOSTINIT_SCRIPT ? '<HOSTINIT>' : a)),
  'missing-tools': (i: { tools: MissingTool[]; present: string[] }) => {
    const missing = missingTools(i.tools, (b) => i.present.includes(b));
    return { missing: missing.map((m) => m.binary), message: missing.length ? describeMissing(missing) : null };
  },
  'cgroup-roots': (mountinfo: string) => systemdCgroupRoots(mountinfo),
  'cgroup-argv': (argv: string[]) => inCgroupsArgv(argv),
  'host-files': (s: HostSeed) => hostFiles(s).map((f) => ({ ...f, mode: f.mode.toString(8) })),
};

const root = fileURLToPath(new URL('./cases', import.meta.url));

describe('sandbox pure logic (table-driven)', () => {
  for (const c of loadCases<Case>(root)) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const fn = groups[c.group];
      expect(fn, `no runner for case group ${c.group}`).to.be.a('function');
      if (c.data.error !== undefined) {
        expect(() => fn(c.data.input)).to.throw(new RegExp(c.data.error));
      } else {
        expect(c.data, `${c.file} needs "expect" or "error"`).to.have.property('expect');
        expect(fn(c.data.input)).to.deep.equal(c.data.expect);
      }
    });
  }
});
