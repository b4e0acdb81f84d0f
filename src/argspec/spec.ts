/** Argument specs of modules, as Ansible's argument_spec (validated by validate.ts). */

export type ArgType = 'str' | 'bool' | 'int' | 'float' | 'list' | 'dict' | 'path' | 'raw' | 'jsonarg' | 'bytes';

export interface ArgSpec {
  type: ArgType;
  required?: boolean;
  choices?: readonly (string | number | boolean)[];
  default?: unknown;
  aliases?: readonly string[];
  /** For type list: element type. */
  elements?: ArgType;
  /** Never printed (passwords, keys). */
  noLog?: boolean;
}

export interface ModuleSpec {
  args: Record<string, ArgSpec>;
  /** Name of the arg that receives free-form text (`command: ls -l`, `shell: ...`). */
  freeForm?: string;
  mutuallyExclusive?: readonly (readonly string[])[];
  requiredOneOf?: readonly (readonly string[])[];
  /** Any argument name is accepted (set_fact): only the listed ones are type-checked. */
  anyArgs?: boolean;
  /** [arg, value, requiredArgs, anyOf?]: when arg == value, requiredArgs (all, or one if anyOf) are required. */
  requiredIf?: readonly (readonly [string, unknown, readonly string[], boolean?])[];
  /** Groups given all together or not at all. */
  requiredTogether?: readonly (readonly string[])[];
  /** arg -> args it needs when given. */
  requiredBy?: Readonly<Record<string, readonly string[]>>;
}
