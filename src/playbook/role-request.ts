import type { SourcePos } from './model.js';
import type { FieldReader } from './fields.js';

/** What to load from a role: its tasks/handlers/vars/defaults file names (`tasks_from` ...). */
export interface RoleFrom {
  tasks?: string;
  handlers?: string;
  vars?: string;
  defaults?: string;
}

/** One role to load: from a roles: entry, a meta dependency or an import_role task. */
export interface RoleRequest {
  name: string;
  namePos: SourcePos;
  /** The entry (or task) map: its keywords (when, tags, vars, become...) apply to the role. */
  reader: FieldReader;
  params: Record<string, unknown>;
  from: RoleFrom;
  /** roles: entries and dependencies run once per parameter set; import_role always runs. */
  dedup: boolean;
  source: SourcePos;
}
