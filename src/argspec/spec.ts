/** Argument specs of modules, as Ansible's argument_spec (validated by validate.ts). */

export type ArgType = 'str' | 'bool' | 'int' | 'float' | 'list' | 'dict' | 'path' | 'raw' | 'jsonarg' | 'bytes';

/** The cross-argument checks of a spec: a module's, or a dict option's over its suboptions. */
export interface SpecChecks {
  mutuallyExclusive?: readonly (readonly string[])[];
  requiredOneOf?: readonly (readonly string[])[];
  /** [arg, value, requiredArgs, anyOf?]: when arg == value, requiredArgs (all, or one if anyOf) are required. */
  requiredIf?: readonly (readonly [string, unknown, readonly string[], boolean?])[];
  /** Groups given all together or not at all. */
  requiredTogether?: readonly (readonly string[])[];
  /** arg -> args it needs when given. */
  requiredBy?: Readonly<Record<string, readonly string[]>>;
}

export interface ArgSpec extends SpecChecks {
  type: ArgType;
  required?: boolean;
  choices?: readonly (string | number | boolean)[];
  default?: unknown;
  aliases?: readonly string[];
  /** For type list: element type. */
  elements?: ArgType;
  /** Never printed (passwords, keys). */
  noLog?: boolean;
  /** Suboptions of a dict, or of each dict of a list with elements dict (validated like the module's own). */
  options?: Record<string, ArgSpec>;
  /** With options: an option left out (or None) is validated as {}, so its suboptions' defaults apply. */
  applyDefaults?: boolean;
}

export interface ModuleSpec extends SpecChecks {
  args: Record<string, ArgSpec>;
  /** Name of the arg that receives free-form text (`command: ls -l`, `shell: ...`). */
  freeForm?: string;
  /** Any argument name is accepted (set_fact): only the listed ones are type-checked. */
  anyArgs?: boolean;
}
