import { TemplateUndefinedError } from './errors.js';

/**
 * Jinja's (Ansible's) StrictUndefined: the result of looking up a missing variable or
 * attribute. It may be passed to `default`, `is defined`, `mandatory`; any other use (output,
 * arithmetic, comparison, iteration, truth test) throws. Attribute access on it yields itself,
 * like Ansible's AnsibleUndefined, so `x.y.z is defined` is false and the error names `x`.
 */
export class Undefined {
  constructor(
    readonly reason: string,
    readonly variable?: string,
  ) {}

  fail(): never {
    // For a missing attribute, say where: "'dict object' has no attribute 'y' (in x.y)".
    let where = this.variable && !this.reason.startsWith(`'${this.variable}'`) ? ` (in ${this.variable})` : '';
    if (this.reason.endsWith(where)) where = '';
    throw new TemplateUndefinedError(this.reason + where, { variable: this.variable });
  }

  toString(): string {
    return this.fail();
  }

  valueOf(): never {
    return this.fail();
  }

  [Symbol.toPrimitive](): never {
    return this.fail();
  }

  toJSON(): never {
    return this.fail();
  }
}

export function undefinedVariable(name: string): Undefined {
  return new Undefined(`'${name}' is undefined`, name);
}
