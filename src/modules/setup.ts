import type { ModuleDefinition } from './contract.js';
import { setupFacts } from '../facts/setup.js';
import { fnmatchRegExp } from '../python/fnmatch.js';

type SetupArgs = {
  filter?: string | string[];
  gather_subset?: string[];
}

/** `filter: ansible_distribution*` keeps matching facts (names compared with the ansible_ prefix). */
export function filterFacts(facts: Record<string, unknown>, filter: string | string[] | undefined): Record<string, unknown> {
  const globs = (Array.isArray(filter) ? filter : filter ? [filter] : []).filter((g) => g !== '' && g !== '*');
  if (!globs.length) return facts;
  const res = globs.map(fnmatchRegExp);
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((r) => r.test(`ansible_${k}`) || r.test(k))));
}

/** Gather facts: the one setup probe; the result is `ansible_facts` (engine merges it into host facts). */
export const setup: ModuleDefinition<SetupArgs> = {
  name: 'setup',
  aliases: ['gather_facts'],
  spec: {
    args: {
      filter: { type: 'list', elements: 'str', default: [] },
      gather_subset: { type: 'list', elements: 'str', default: ['all'] },
      gather_timeout: { type: 'int', default: 10 },
      fact_path: { type: 'path' },
    },
  },
  probes: () => [setupFacts()],
  plan(a, facts) {
    const all = facts.get(setupFacts());
    return { commands: [], changed: false, result: { changed: false, ansible_facts: filterFacts(all, a.filter) } };
  },
  finish: (_a, plan) => ({ ...(plan.result ?? {}) }),
};
