/**
 * The falco role's health gate counts Falco's own "hot restart failure" alerts, and only those.
 * Falco alerts on the gate's shell too ("Run shell untrusted"), and that alert quotes the whole
 * script, failure text included: it once failed a healthy host's gate. The task's script is
 * split and rendered from gate.yml as the shell module gets it, and run here by `sh` on alert
 * files; `journalctl` is a stand-in printing a file, for the text-output case.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createTemplater } from '../../src/template/index.js';
import { parseKv } from '../../src/template/kv.js';

const GATE = resolve(fileURLToPath(new URL('../../playbooks/roles/falco/tasks/gate.yml', import.meta.url)));
const TASK = 'Health gate: no hot restart failure since the change, alert rate not collapsed';
const FAILURE = 'Falco internal: hot restart failure';

function gateScript(json: boolean, events: string): string {
  const tasks = parse(readFileSync(GATE, 'utf8')) as { name?: string; shell?: string }[];
  const shell = tasks.find((t) => t.name === TASK)?.shell;
  if (!shell) throw new Error(`no task '${TASK}' in ${GATE}`);
  // the free-form text as the shell module gets it (Ansible's parse_kv: quotes must balance)
  const raw = parseKv(shell, true)['_raw_params'] ?? '';
  const now = Math.floor(Date.now() / 1000);
  return createTemplater({ searchPaths: [] }).renderText(raw, {
    falco_file_output: { filename: events },
    falco_gate_state: { inode: 0, size: 0, epoch: now - 60, alerts: 0, json },
    falco_gate_rate_window: 300,
    falco_gate_min_expected_alerts: 5,
    falco_config: { priority: 'notice' },
    falco_config_overrides: {},
    falco_unit: 'falco-modern-bpf.service',
    falco_gate_began: { stdout: `${now - 30}.000000000` },
  });
}

function isoNow(): string {
  return new Date().toISOString().replace('Z', '000000Z');
}

function jsonAlert(rule: string, priority: string, output: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ hostname: 'h1', output, output_fields: fields, priority, rule, source: 'syscall', time: isoNow() });
}

interface Case {
  name: string;
  json: boolean;
  /** the alert lines; SCRIPT is replaced by the gate's own script, as a Falco alert quotes it */
  lines: (script: string) => string[];
  failures: number;
}

const selfAlertJson = (script: string) =>
  jsonAlert('Run shell untrusted', 'Notice', `Shell spawned by untrusted binary | command=sh -c ${script}`, { 'proc.cmdline': `sh -c ${script}` });
// on one line, and as it reaches the journal when the command line keeps its newlines
const selfAlertText = (script: string) => [
  `20:32:03.881187600: Notice Shell spawned by untrusted binary | command=sh -c ${script.replace(/\n/g, ' ')}`,
  `20:32:03.881187601: Notice Shell spawned by untrusted binary | command=sh -c ${script}`,
].join('\n');

const CASES: Case[] = [
  { name: 'JSON: an alert on the gate\'s own shell, which quotes the failure text', json: true, lines: (s) => [selfAlertJson(s)], failures: 0 },
  {
    name: 'JSON: Falco\'s hot restart failure',
    json: true,
    lines: (s) => [selfAlertJson(s), jsonAlert(FAILURE, 'Critical', `${FAILURE}: rule Broken has no condition`)],
    failures: 1,
  },
  {
    name: 'JSON: a rule whose name only mentions the failure',
    json: true,
    lines: () => [jsonAlert(`Not ${FAILURE}`, 'Critical', `${FAILURE}?`)],
    failures: 0,
  },
  { name: 'text: an alert on the gate\'s own shell', json: false, lines: (s) => [selfAlertText(s)], failures: 0 },
  {
    name: 'text: Falco\'s hot restart failure, time as Falco prints it',
    json: false,
    lines: (s) => [selfAlertText(s), `20:32:04.000000001: Critical ${FAILURE}: rule Broken has no condition ()`],
    failures: 1,
  },
  {
    name: 'text: Falco\'s hot restart failure, time_format_iso_8601',
    json: false,
    lines: () => [`2026-12-04T20:32:04.000000001+0000: Critical ${FAILURE}: bad rules ()`],
    failures: 1,
  },
];

describe('falco role: the health gate counts only Falco\'s hot restart failures', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-gate-'));
    writeFileSync(join(dir, 'journalctl'), '#!/bin/sh\ncat "$FD_JOURNAL"\n');
    chmodSync(join(dir, 'journalctl'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(c.name, () => {
      const events = join(dir, 'events');
      const script = gateScript(c.json, events);
      writeFileSync(events, `${c.lines(script).join('\n')}\n`);
      const r = spawnSync('sh', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FD_JOURNAL: events },
      });
      expect(r.stdout, r.stderr).to.include(`since the change: ${c.failures} hot restart failures`);
      expect(r.status, r.stderr).to.equal(c.failures > 0 ? 1 : 0);
      if (c.failures > 0) expect(r.stderr.trim().split('\n')).to.have.length(1).and.to.match(new RegExp(`${FAILURE}: `));
    });
  }
});
