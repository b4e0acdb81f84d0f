/** `--workers auto` starts a worker per core only when each would get at least this many hosts. */
export const AUTO_HOSTS_PER_WORKER = 100;

export type WorkersSpec = number | 'auto';

/**
 * How many workers a run over `hosts` hosts gets: `auto` = one per core when the hosts are many
 * (at least AUTO_HOSTS_PER_WORKER each), else one; a number is never more than the hosts.
 */
export function workerCount(spec: WorkersSpec, hosts: number, cores: number): number {
  const wanted = spec === 'auto' ? Math.min(cores, Math.floor(hosts / AUTO_HOSTS_PER_WORKER)) : Math.min(spec, hosts);
  return Math.max(1, wanted);
}

/**
 * The worker (0-based) owning each host: dealt round-robin in the order given (the run's hosts in
 * inventory order), so the parts differ in size by at most one and each host is in exactly one.
 */
export function partitionHosts(hosts: readonly string[], count: number): Map<string, number> {
  const owner = new Map<string, number>();
  for (const h of hosts) if (!owner.has(h)) owner.set(h, owner.size % count);
  return owner;
}

/** Whether worker `index` runs `host`: its own hosts, and worker 0 also every host nobody was dealt (implicit localhost). */
export function ownsHost(owner: ReadonlyMap<string, number>, index: number, host: string): boolean {
  return (owner.get(host) ?? 0) === index;
}
