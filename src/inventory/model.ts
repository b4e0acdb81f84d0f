/**
 * The inventory graph as Ansible's InventoryData keeps it: groups and hosts in creation order,
 * direct group membership in insertion order, parent/child links, inline variables.
 */
import { InputError } from '../errors.js';
import { PyFloat } from '../python/values.js';

export type Vars = Record<string, unknown>;

export class Group {
  readonly hosts: string[] = [];
  readonly children: Group[] = [];
  readonly parents: Group[] = [];
  vars: Vars = {};
  /** Where each inline variable was set (INI line, YAML key), for messages about bad values. */
  readonly varOrigins = new Map<string, Where>();
  /** ansible_group_priority (kept out of vars, as Ansible does). */
  priority = 1;
  constructor(readonly name: string) {}

  ancestors(): Set<Group> {
    const seen = new Set<Group>();
    const stack = [...this.parents];
    while (stack.length) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...g.parents);
    }
    return seen;
  }
}

class Host {
  vars: Vars = {};
  /** Where each inline variable was set (INI line, YAML key), for messages about bad values. */
  readonly varOrigins = new Map<string, Where>();
  constructor(readonly name: string) {}
}

export interface Where {
  file?: string;
  line?: number;
}

export class InventoryData {
  readonly groups = new Map<string, Group>();
  readonly hosts = new Map<string, Host>();
  /** Where each host was first defined: inventory_file for the rest of the program. */
  readonly hostSource = new Map<string, string | undefined>();
  currentSource: string | undefined;

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string, where: Where = {}): string {
    if (typeof name !== 'string' || name === '') {
      throw new InputError(`invalid group name ${JSON.stringify(name)}: expected a non-empty string`, where);
    }
    if (!this.groups.has(name)) this.groups.set(name, new Group(name));
    return name;
  }

  addHost(name: string, group?: string, port?: number, where: Where = {}): void {
    if (typeof name !== 'string' || name === '') {
      throw new InputError(`invalid host name ${JSON.stringify(name)}: expected a non-empty string`, where);
    }
    if (!this.hosts.has(name)) {
      const host = new Host(name);
      if (port) host.vars.ansible_port = port;
      this.hosts.set(name, host);
      this.hostSource.set(name, this.currentSource);
    }
    if (group) {
      const g = this.groups.get(group);
      if (!g) throw new InputError(`could not find group ${group} in inventory`, where);
      if (!g.hosts.includes(name)) g.hosts.push(name);
    }
  }

  /** Add a group (or, for `ungrouped` reconciliation, a host) as a child of `group`. */
  addChild(group: string, child: string, where: Where = {}): void {
    const parent = this.groups.get(group);
    if (!parent) throw new InputError(`${group} is not a known group`, where);
    const kid = this.groups.get(child);
    if (kid) {
      if (kid === parent) throw new InputError(`can't add group to itself (${group})`, where);
      if (parent.children.includes(kid)) return;
      if (parent.ancestors().has(kid)) {
        throw new InputError(`Adding group '${child}' as child to '${group}' creates a recursive dependency loop.`, where);
      }
      parent.children.push(kid);
      if (!kid.parents.includes(parent)) kid.parents.push(parent);
    } else if (this.hosts.has(child)) {
      if (!parent.hosts.includes(child)) parent.hosts.push(child);
    } else {
      throw new InputError(`${child} is not a known host nor group`, where);
    }
  }

  setVariable(entity: string, key: string, value: unknown, where: Where = {}): void {
    const group = this.groups.get(entity);
    if (group) {
      if (key === 'ansible_group_priority') {
        group.priority = pythonInt(value, where);
      } else {
        group.vars[key] = value;
        group.varOrigins.set(key, where);
      }
      return;
    }
    const host = this.hosts.get(entity);
    if (!host) throw new InputError(`could not identify group or host named ${entity}`, where);
    host.vars[key] = value;
    host.varOrigins.set(key, where);
  }

  /** Ansible's reconcile_inventory: parentless groups go under all; ungrouped is fixed up. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.ancestors().size === 0) this.addChild('all', g.name);
    }
    const all = this.groups.get('all')!;
    const ungrouped = this.groups.get('ungrouped')!;
    const memberships = this.directMemberships();
    for (const host of this.hosts.keys()) {
      const direct = memberships.get(host) ?? new Set<Group>();
      const groups = withAncestors(direct);
      if (groups.has(ungrouped)) {
        const others = [...groups].filter((g) => g !== all && g !== ungrouped);
        const index = ungrouped.hosts.indexOf(host);
        if (others.length && index !== -1) ungrouped.hosts.splice(index, 1);
      } else if (groups.size === 0 || (groups.size === 1 && groups.has(all))) {
        ungrouped.hosts.push(host);
      }
    }
  }

  /** Names used by a host and a group at once (Ansible warns about them). */
  nameConflicts(): string[] {
    return [...this.groups.keys()].filter((g) => this.hosts.has(g));
  }

  directMemberships(): Map<string, Set<Group>> {
    const out = new Map<string, Set<Group>>();
    for (const g of this.groups.values()) {
      for (const h of g.hosts) {
        let set = out.get(h);
        if (!set) out.set(h, (set = new Set()));
        set.add(g);
      }
    }
    return out;
  }
}

export function withAncestors(groups: Iterable<Group>): Set<Group> {
  const out = new Set<Group>();
  for (const g of groups) {
    out.add(g);
    for (const a of g.ancestors()) out.add(a);
  }
  return out;
}

/** Python's int() as Group.set_priority applies it. */
function pythonInt(value: unknown, where: Where): number {
  if (value instanceof PyFloat) return Math.trunc(value.value);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[-+]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.trim().replace(/_/g, ''));
  throw new InputError(`ansible_group_priority must be an integer, got ${JSON.stringify(value)}`, where);
}
