import { ProbedFacts, type FactRequest } from '../facts/request.js';
import type { HostState } from './host-state.js';
import type { ExecRequest } from '../connectors/types.js';

export interface PendingProbe {
  become: boolean;
  req: FactRequest;
}

export function cacheKey(req: FactRequest, become: boolean): string {
  return `${req.become ?? become ? 'root' : 'user'}:${req.key}`;
}

/** The exec requests of these probes, one per cache key, leaving out the keys `skip` names. */
export function probeBatch(items: PendingProbe[], skip: (key: string) => boolean = () => false): { keys: string[]; requests: ExecRequest[] } {
  const missing = new Map<string, ExecRequest>();
  for (const { req, become } of items) {
    const k = cacheKey(req, become);
    if (!skip(k) && !missing.has(k)) missing.set(k, { command: req.command, become: req.become ?? become, maxOutputBytes: req.maxOutputBytes });
  }
  return { keys: [...missing.keys()], requests: [...missing.values()] };
}

/**
 * Runs every probe not already cached in ONE round trip (execBatch) and caches the raw results.
 * Probes are read-only, so running one speculatively is always safe.
 */
async function fetchProbes(state: HostState, requests: FactRequest[], become: boolean): Promise<void> {
  const { keys, requests: batch } = probeBatch(
    requests.map((req) => ({ become, req })),
    (k) => state.probeCache.has(k),
  );
  if (batch.length === 0 || !state.connection) return;
  const results = await state.connection.execBatch(batch);
  keys.forEach((k, i) => state.probeCache.set(k, results[i]));
}

/** The parsed fact values of these requests, fetching what is not cached yet. */
export async function probeValues(
  state: HostState,
  requests: FactRequest[],
  become: boolean,
): Promise<ProbedFacts> {
  await fetchProbes(state, requests, become);
  const out: Record<string, unknown> = {};
  for (const r of requests) {
    const raw = state.probeCache.get(cacheKey(r, become));
    if (!raw) throw new Error(`probe ${r.key} produced no result`);
    out[r.key] = r.parse(raw);
  }
  return new ProbedFacts(out);
}

/** Root and non-root probes go to different remote shells: one batch each, in parallel. */
export async function fetchGrouped(state: HostState, items: PendingProbe[]): Promise<void> {
  const byBecome = new Map<boolean, FactRequest[]>();
  for (const { become, req } of items) byBecome.set(become, [...(byBecome.get(become) ?? []), req]);
  await Promise.all([...byBecome].map(([b, reqs]) => fetchProbes(state, reqs, b)));
}
