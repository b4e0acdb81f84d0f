/**
 * The loaded inventory: hosts, groups, merged host variables with Ansible's precedence,
 * pattern selection, and the ansible-inventory views (--list, --host, --graph).
 */
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { isIpAddress } from './host-range.js';
import { withAncestors, type Group, type InventoryData, type Vars, type Where } from './model.js';
import { evaluatePattern, evaluatePatterns, expandLimitFiles, isLocalhostName, splitHostPattern, type PatternSource } from './patterns.js';
import { pyStr } from '../python/repr.js';
import { isMapping } from '../python/values.js';

/** Variables ansible-inventory never prints (magic and internal vars). */
const INTERNAL_VARS = new Set([
  'ansible_diff_mode', 'ansible_config_file', 'ansible_facts', 'ansible_forks', 'ansible_inventory_sources',
  'ansible_limit', 'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity',
  'ansible_version', 'inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short',
  'groups', 'group_names', 'omit', 'playbook_dir',
]);

/** Vars loaded from group_vars/ and host_vars/ of each source, in source order. */
export interface SourceVars {
  groups: Map<string, Vars>;
  hosts: Map<string, Vars>;
}

interface GraphOptions {
  /** Start at this group (default all). */
  group?: string;
  /** Show variables like `ansible-inventory --graph --vars`. */
  vars?: boolean;
  /** Only hosts matching this pattern. */
  limit?: string;
}

export class Inventory {
  readonly warnings: string[] = [];
  private readonly depthCache = new Map<Group, number>();
  private readonly groupHostsCache = new Map<string, string[]>();
  /** hostVars of inventory hosts: the engine asks for them on every task of every host. */
  private readonly hostVarsCache = new Map<string, Vars>();
  private groupsMapCache?: Record<string, string[]>;
  private readonly implicit = new Set<string>();
  private membership: Map<string, Set<Group>> | undefined;

  constructor(
    private readonly data: InventoryData,
    private readonly sourceVars: SourceVars[],
    private readonly onWarning: (message: string) => void = () => {},
  ) {}

  /** Every host, in Ansible's order for the `all` pattern. */
  hosts(): string[] {
    return this.groupHosts('all');
  }

  /** Group names in creation order, `all` and `ungrouped` first. */
  get groups(): string[] {
    return [...this.data.groups.keys()];
  }

  hasHost(name: string): boolean {
    return this.data.hosts.has(name);
  }

  hasGroup(name: string): boolean {
    return this.data.groups.has(name);
  }

  /** The inventory file where the host was first defined (Ansible's inventory_file). */
  inventoryFile(host: string): string | undefined {
    return this.data.hostSource.get(host);
  }

  /** Ansible's `group_names`: the host's groups and their ancestors, sorted, without `all`. */
  groupNames(host: string): string[] {
    return [...this.hostGroups(host)].map((g) => g.name).filter((n) => n !== 'all').sort();
  }

  /** Ansible's `groups` magic variable: every group -> its hosts (with descendants). */
  groupsMap(): Record<string, string[]> {
    if (this.groupsMapCache) return { ...this.groupsMapCache };
    const out: Record<string, string[]> = {};
    for (const name of this.data.groups.keys()) out[name] = this.groupHosts(name);
    this.groupsMapCache = out;
    return { ...out };
  }

  /**
   * Ansible's per-host magic variables: inventory_hostname(_short), group_names, groups,
   * inventory_file, inventory_dir.
   */
  magicVars(host: string): Vars {
    const file = this.inventoryFile(host);
    return {
      inventory_hostname: host,
      inventory_hostname_short: isIpAddress(host) ? host : host.split('.')[0],
      group_names: this.groupNames(host),
      groups: this.groupsMap(),
      inventory_file: file ?? null,
      inventory_dir: file ? dirname(file) : null,
    };
  }

  /** Direct child groups and direct hosts of a group. */
  groupMembers(group: string): { children: string[]; hosts: string[] } | undefined {
    const g = this.data.groups.get(group);
    return g && { children: g.children.map((c) => c.name), hosts: [...g.hosts] };
  }

  /** Hosts of a group and all its descendants, in Ansible's (breadth-first) order. */
  groupHosts(group: string): string[] {
    const cached = this.groupHostsCache.get(group);
    if (cached) return cached;
    const start = this.data.groups.get(group);
    if (!start) return [];
    const ordered: Group[] = [start, ...start.children];
    const seen = new Set<Group>(ordered);
    let frontier = start.children;
    while (frontier.length) {
      const next: Group[] = [];
      for (const g of frontier) {
        for (const c of g.children) {
          if (seen.has(c)) continue;
          seen.add(c);
          ordered.push(c);
          next.push(c);
        }
      }
      frontier = next;
    }
    const hosts: string[] = [];
    const seenHosts = new Set<string>();
    for (const g of ordered) {
      for (const h of g.hosts) {
        if (seenHosts.has(h)) continue;
        seenHosts.add(h);
        hosts.push(h);
      }
    }
    this.groupHostsCache.set(group, hosts);
    return hosts;
  }

  /**
   * Hosts matching an Ansible pattern, in inventory order. With `base`, only those also in
   * `base` (still in the pattern's order): `selectHosts(play.hosts, selectHosts(limit))` is
   * Ansible's play hosts narrowed by --limit.
   */
  selectHosts(pattern: string, base?: readonly string[]): string[] {
    const matched = evaluatePattern(this.patternSource(), pattern);
    if (!base) return matched;
    const keep = new Set(base);
    return matched.filter((h) => keep.has(h));
  }

  /** A play's `hosts:` pattern narrowed by `--limit` (Ansible's subset). */
  selectHostsWithLimit(pattern: string, limit?: string): string[] {
    const hosts = this.selectHosts(pattern);
    if (limit === undefined) return hosts;
    const subset = new Set(evaluatePatterns(this.patternSource(), expandLimitFiles(splitHostPattern(limit))));
    return hosts.filter((h) => subset.has(h));
  }

  /**
   * `ansible PATTERN --list-hosts [--limit L]`: like selectHostsWithLimit, but, as Ansible's ad-hoc
   * CLI does, a pattern error without --limit means "no hosts" (with a warning), and a --limit
   * that leaves no hosts is an error.
   */
  listHosts(pattern = 'all', limit?: string): string[] {
    let hosts: string[];
    try {
      hosts = this.selectHostsWithLimit(pattern, limit);
    } catch (err) {
      if (limit !== undefined || !(err instanceof InputError)) throw err;
      this.warn('No hosts matched, nothing to do');
      return [];
    }
    if (!hosts.length && this.hosts().length) {
      if (limit !== undefined) {
        throw new InputError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.');
      }
      this.warn('No hosts matched, nothing to do');
    }
    return hosts;
  }

  /** Merged variables of a host, with Ansible's precedence (what `ansible-inventory --host` prints). */
  hostVars(host: string): Vars {
    const cached = this.hostVarsCache.get(host);
    if (cached) return { ...cached };
    const vars = this.mergedHostVars(host);
    if (this.data.hosts.has(host)) this.hostVarsCache.set(host, vars);
    return { ...vars };
  }

  private mergedHostVars(host: string): Vars {
    const all = this.data.groups.get('all')!;
    const groups = this.sortedGroups(host);
    let vars: Vars = { ...all.vars };
    for (const g of groups) vars = { ...vars, ...g.vars };
    for (const src of this.sourceVars) vars = { ...vars, ...src.groups.get('all') };
    for (const src of this.sourceVars) for (const g of groups) vars = { ...vars, ...src.groups.get(g.name) };
    const entry = this.data.hosts.get(host);
    if (entry) vars = { ...vars, ...entry.vars };
    else if (this.implicit.has(host)) vars = { ...vars, ...implicitLocalhostVars() };
    for (const src of this.sourceVars) vars = { ...vars, ...src.hosts.get(host) };
    for (const k of INTERNAL_VARS) delete vars[k];
    return vars;
  }

  /**
   * Where the value hostVars(host)[key] comes from, when it was set inline in an inventory file
   * (group_vars/host_vars files are not tracked): the same precedence as hostVars.
   */
  varOrigin(host: string, key: string): Where | undefined {
    let where: Where | undefined;
    const consider = (vars: Vars | undefined, origins?: Map<string, Where>) => {
      if (vars && key in vars) where = origins?.get(key);
    };
    const all = this.data.groups.get('all')!;
    const groups = this.sortedGroups(host);
    consider(all.vars, all.varOrigins);
    for (const g of groups) consider(g.vars, g.varOrigins);
    for (const src of this.sourceVars) consider(src.groups.get('all'));
    for (const src of this.sourceVars) for (const g of groups) consider(src.groups.get(g.name));
    const entry = this.data.hosts.get(host);
    if (entry) consider(entry.vars, entry.varOrigins);
    for (const src of this.sourceVars) consider(src.hosts.get(host));
    return where?.file ? where : undefined;
  }

  /** Variables of a group on its own (inventory + group_vars files), as --graph --vars shows. */
  groupVars(group: string): Vars {
    const g = this.data.groups.get(group);
    if (!g) return {};
    let vars: Vars = { ...g.vars };
    for (const src of this.sourceVars) vars = { ...vars, ...src.groups.get(group) };
    if (g.priority !== 1) vars.ansible_group_priority = g.priority;
    for (const k of INTERNAL_VARS) delete vars[k];
    return vars;
  }

  /** `ansible-inventory --list` output (an object; serialize with JSON.stringify). */
  toListJson(limit?: string): Record<string, unknown> {
    const selected = limit === undefined ? this.hosts() : this.selectHostsWithLimit('all', limit);
    const available = new Set(selected);
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const format = (g: Group) => {
      const entry: Record<string, unknown> = {};
      if (g.name !== 'all') {
        const hosts = g.hosts.filter((h) => available.has(h));
        if (hosts.length) entry.hosts = hosts;
      }
      const children: string[] = [];
      out[g.name] = entry;
      for (const c of g.children) {
        children.push(c.name);
        if (!seen.has(c.name)) {
          format(c);
          seen.add(c.name);
        }
      }
      if (children.length) entry.children = children;
      if (Object.keys(entry).length === 0) delete out[g.name];
    };
    format(this.data.groups.get('all')!);
    const hostvars: Record<string, Vars> = {};
    for (const h of selected) {
      const v = this.hostVars(h);
      if (Object.keys(v).length) hostvars[h] = v;
    }
    out._meta = { hostvars };
    return sortKeysDeep(out) as Record<string, unknown>;
  }

  /** `ansible-inventory --host H`: H must match exactly one host. */
  hostJson(host: string): Vars {
    return sortKeysDeep(this.hostVars(host)) as Vars;
  }

  /** `ansible-inventory --graph [GROUP] [--vars]` text (no trailing newline). */
  graph(options: GraphOptions = {}): string {
    const start = this.data.groups.get(options.group ?? 'all');
    if (!start) throw new Error(`Pattern must be valid group name when using --graph: ${options.group}`);
    const available = options.limit === undefined ? undefined : new Set(this.selectHostsWithLimit('all', options.limit));
    const name = (text: string, depth: number) => (depth ? '  |'.repeat(depth) + '--' + text : text);
    const showVars = (vars: Vars, depth: number) =>
      Object.keys(vars)
        .sort()
        .map((k) => name(`{${k} = ${pyStr(vars[k])}}`, depth));
    const walk = (g: Group, depth: number): string[] => {
      const lines = [name(`@${g.name}:`, depth)];
      for (const kid of g.children) lines.push(...walk(kid, depth + 1));
      if (g.name !== 'all') {
        for (const h of g.hosts) {
          if (available && !available.has(h)) continue;
          lines.push(name(h, depth + 1));
          if (options.vars) lines.push(...showVars(this.hostVars(h), depth + 2));
        }
      }
      if (options.vars) lines.push(...showVars(this.groupVars(g.name), depth + 1));
      return lines;
    };
    return walk(start, 0).join('\n');
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.onWarning(message);
  }

  private patternSource(): PatternSource {
    return {
      groupNames: () => this.groups,
      hostNames: () => [...this.data.hosts.keys()],
      groupHosts: (g) => this.groupHosts(g),
      hasHost: (h) => this.data.hosts.has(h),
      implicitLocalhost: (name) => {
        // Ansible hands out one localhost: the inventory's first localhost-like host, else an implicit one.
        if (!isLocalhostName(name)) return undefined;
        const known = [...this.data.hosts.keys()].find(isLocalhostName) ?? [...this.implicit][0];
        if (known) return known;
        this.implicit.add(name);
        return name;
      },
      warn: (m) => this.warn(m),
    };
  }

  private hostGroups(host: string): Set<Group> {
    if (!this.membership) {
      this.membership = new Map();
      for (const [h, direct] of this.data.directMemberships()) this.membership.set(h, withAncestors(direct));
    }
    return this.membership.get(host) ?? new Set();
  }

  /** Ansible's sort_groups: by depth, then ansible_group_priority, then name; `all` left out. */
  private sortedGroups(host: string): Group[] {
    return [...this.hostGroups(host)]
      .filter((g) => g.name !== 'all')
      .sort((a, b) => this.depth(a) - this.depth(b) || a.priority - b.priority || cmp(a.name, b.name));
  }

  /** Longest path from `all` (Ansible keeps the maximum depth over all parents). */
  private depth(g: Group): number {
    const cached = this.depthCache.get(g);
    if (cached !== undefined) return cached;
    const d = g.parents.length ? Math.max(...g.parents.map((p) => this.depth(p) + 1)) : 0;
    this.depthCache.set(g, d);
    return d;
  }
}

function implicitLocalhostVars(): Vars {
  return { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** json.dumps(sort_keys=True): every object's keys sorted. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isMapping(value)) return Object.fromEntries(Object.keys(value).sort(cmp).map((k) => [k, sortKeysDeep(value[k])]));
  return value;
}

