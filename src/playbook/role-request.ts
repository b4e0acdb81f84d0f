import type { RoleFrom, SourcePos } from './model.js';
import type { FieldReader } from './fields.js';

/** One role to load: from a roles: entry, a meta dependency or an import_role task. */
export interface RoleRequest {
  name: string;
  namePos: SourcePos;
  /** The entry (or task) map: its keywords (when, tags, vars, become...) apply to the role. */
  reader: FieldReader;
  params: Record<string, unknown>;
  from: RoleFrom;
  /** roles: entries and dependencies run once per parameter set; import_role/include_role always run. */
  dedup: boolean;
  /** include_role's rolespec_validate: false skips the argument spec validation task. */
  skipArgumentSpec?: boolean;
  source: SourcePos;
}
