/**
 * Facts for module tests, named by fact and arguments (never by FactRequest.key, whose encoding
 * is the engine's business):
 *
 *   - fact: file_stat
 *     args: { path: /etc/x }      # some of the request's args; each must deep-equal the request's
 *     value: { exists: false }
 */
import { isDeepStrictEqual } from 'node:util';
import type { ExecResult } from '../../src/connectors/types.js';
import { ProbedFacts, type FactRequest } from '../../src/facts/request.js';

/** A requested probe as a test names it: the fact and some of its arguments. */
export interface FactMatch {
  fact: string;
  args?: Record<string, unknown>;
}

export interface FactFixture extends FactMatch {
  value: unknown;
}

export function matchesRequest(want: FactMatch, req: FactRequest): boolean {
  return want.fact === req.fact && Object.entries(want.args ?? {}).every(([k, v]) => isDeepStrictEqual(req.args[k], v));
}

export const describeRequest = (r: FactMatch) => `${r.fact} ${JSON.stringify(r.args ?? {})}`;

function byRequest(values: [FactRequest, unknown][]): ProbedFacts {
  return new ProbedFacts(Object.fromEntries(values.map(([req, value]) => [req.key, value])));
}

function checkShape(fixtures: unknown, where: string): asserts fixtures is FactFixture[] {
  if (!Array.isArray(fixtures)) throw new Error(`${where}: facts must be a list of { fact, args, value }`);
  fixtures.forEach((f: Partial<FactFixture>, i) => {
    if (typeof f?.fact !== 'string' || !('value' in f)) throw new Error(`${where}: facts[${i}] needs a fact name and a value`);
    if (f.args !== undefined && (typeof f.args !== 'object' || f.args === null || Array.isArray(f.args))) {
      throw new Error(`${where}: facts[${i}].args must be a mapping of the fact's arguments`);
    }
  });
}

/**
 * What plan() gets for the probes the module requested: each answered by the ONE fixture that
 * matches it. A probe with no or several matching fixtures, and a fixture that answers no probe
 * (a stale one), are errors naming `where`.
 */
export function fixtureFacts(probes: FactRequest[], fixtures: unknown, where: string): ProbedFacts {
  checkShape(fixtures, where);
  const used = new Set<number>();
  const values = probes.map((req): [FactRequest, unknown] => {
    const found = fixtures.flatMap((f, i) => (matchesRequest(f, req) ? [i] : []));
    if (found.length !== 1) {
      const why = found.length ? `several fixtures match it (facts[${found.join('], facts[')}]): give more args` : 'no fixture matches it';
      throw new Error(`${where}: the module probes ${describeRequest(req)} but ${why}`);
    }
    used.add(found[0]);
    return [req, fixtures[found[0]].value];
  });
  fixtures.forEach((f, i) => {
    if (!used.has(i)) {
      throw new Error(`${where}: facts[${i}] (${describeRequest(f)}) answers no probe; the module probes: ${probes.map(describeRequest).join('; ') || 'nothing'}`);
    }
  });
  return byRequest(values);
}

/** What plan() gets when the probes really run (on this machine): each parsed from its run. */
export async function runProbes(probes: FactRequest[], run: (probe: FactRequest) => ExecResult | Promise<ExecResult>): Promise<ProbedFacts> {
  const values: [FactRequest, unknown][] = [];
  for (const p of probes) values.push([p, p.parse(await run(p))]);
  return byRequest(values);
}
