/**
 * Table-driven cases of the alerts parsers and reports: test/cases/alerts/<group>/<case>.yaml
 *
 *   description: what the case shows
 *   input: <the group's input>
 *   expect: <result>
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadCases } from '../support/cases.js';
import { parseJsonAlert, type Alert } from '../../src/alerts/alert-line.js';
import { parseJournalRead } from '../../src/alerts/journal-probe.js';
import { parseSourceRead } from '../../src/alerts/source-probe.js';
import { parseFollowRead, parseTailRead } from '../../src/alerts/file-probes.js';
import { parseSince } from '../../src/alerts/since.js';
import { alertLine, keep, mergeByTime, summarize, summaryTable } from '../../src/alerts/report.js';
import { parsePriority, type Priority } from '../../src/alerts/priority.js';

interface Case {
  description?: string;
  input: Record<string, unknown>;
  expect: unknown;
}

const groups: Record<string, (i: any) => unknown> = {
  json_line: (i) => parseJsonAlert(i.line, i.host),
  journal_read: (i) => parseJournalRead(i.stdout, i.host),
  source_read: (i) => parseSourceRead(i.stdout, i.host),
  tail_read: (i) => parseTailRead(i.stdout),
  follow_read: (i) => parseFollowRead(i.stdout),
  since: (i) => parseSince(i.text, Date.parse(i.now)) ?? null,
  summary: (i) => ({ rows: summarize(i.alerts), table: summaryTable(summarize(i.alerts)).split('\n') }),
  merge: (i) =>
    mergeByTime(i.alerts as Alert[])
      .filter((a) => keep(a, { since: i.since, minPriority: parsePriority(i.priority) as Priority, ...(i.rule ? { rule: new RegExp(i.rule) } : {}) }))
      .map(alertLine),
};

describe('alerts parsers and reports (table-driven)', () => {
  for (const c of loadCases<Case>(fileURLToPath(new URL('../cases/alerts', import.meta.url)))) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const run = groups[c.group];
      expect(run, `no group ${c.group}`).to.be.a('function');
      expect(JSON.parse(JSON.stringify(run!(c.data.input)))).to.deep.equal(c.data.expect);
    });
  }
});
