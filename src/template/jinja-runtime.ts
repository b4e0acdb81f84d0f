/**
 * The runtime our compiled templates call (derived from nunjucks' runtime object, which is left
 * untouched): variable resolution through the active scope, Python semantics for truth, `==`,
 * ordering, `in`, arithmetic, member lookup with Python methods, output as Python str().
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { PyError } from './errors.js';
import { lookupMember, SliceKey } from './methods.js';
import { baseRuntime } from './nunjucks-internals.js';
import { pyBinop, pyNeg } from './operators.js';
import { Namespace, pyFloat, tuple } from './pytypes.js';
import {
  isMapping, pyCompare, pyContains, pyEquals, pyIterate, pyStr, pyTruthy, pyTypeName,
} from './pyvalue.js';
import { filterNamed, hasOwn, testNamed, type Registry } from './sandbox.js';
import { Undefined } from './undefined.js';
import { reveal, trackTaint } from './unsafe.js';

// Variable resolution: the active scope of the (synchronous) render in progress.

export interface Scope {
  lookup(name: string): unknown;
}
let activeScope: Scope | null = null;
/** The error as thrown inside the template, before nunjucks wraps it in its TemplateError. */
let lastRuntimeError: unknown = null;

/**
 * A positional argument of a `lookup(...)`/`query(...)` call as the template computed it, and
 * whether that read unsafe data; only functions registered by acceptLookupTerms receive these.
 */
export class LookupTerm {
  constructor(
    readonly value: unknown,
    readonly tainted: boolean,
  ) {}
}
const takesLookupTerms = new WeakSet<object>();

export function acceptLookupTerms<T extends (...args: any[]) => unknown>(fn: T): T {
  takesLookupTerms.add(fn);
  return fn;
}

/** A variable of the render in progress (for lookup('vars', ...)). */
export function lookupActiveVariable(name: string): unknown {
  return activeScope ? activeScope.lookup(name) : new Undefined(`'${name}' is undefined`, name);
}

/** The scope of the render in progress (a lookup that renders a template starts from it). */
export function currentScope(): Scope | null {
  return activeScope;
}

export function withScope<T>(scope: Scope, fn: () => T): T {
  const previous = activeScope;
  activeScope = scope;
  try {
    return fn();
  } finally {
    activeScope = previous;
  }
}


function cmp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEquals(a, b);
    case '!=':
    case '!==':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    default:
      throw new PyError(`unknown comparison ${op}`);
  }
}

export const pyRuntime: any = Object.create(baseRuntime);
Object.assign(pyRuntime, {
  contextOrFrameLookup(context: any, frame: any, name: string): unknown {
    const v = frame.lookup(name);
    if (v !== undefined) return v;
    const ctx = context.ctx;
    if (hasOwn(ctx, name)) return ctx[name];
    const globals = context.env.globals;
    if (activeScope) {
      const found = activeScope.lookup(name);
      if (found instanceof Undefined && hasOwn(globals, name)) return globals[name];
      return found;
    }
    if (hasOwn(globals, name)) return globals[name];
    return new Undefined(`'${name}' is undefined`, name);
  },
  memberLookup(obj: unknown, key: unknown, path?: string): unknown {
    const value = lookupMember(obj, key);
    if (value instanceof Undefined && value !== obj && path && value.variable === undefined) {
      return new Undefined(value.reason, path);
    }
    return reveal(value);
  },
  callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
    if (fn instanceof Undefined) fn.fail();
    if (typeof fn !== 'function') throw new PyError(`'${pyTypeName(fn)}' object is not callable (${name})`);
    const given = takesLookupTerms.has(fn) ? args : args.map((a) => (a instanceof LookupTerm ? a.value : a));
    return fn.apply(context, given);
  },
  lookupTerm(compute: () => unknown): LookupTerm {
    const { value, tainted } = trackTaint(compute);
    return new LookupTerm(value, tainted);
  },
  suppressValue(value: unknown): string {
    // Ansible's environment finalize: None prints as ''.
    return value === null || value === undefined ? '' : pyStr(value);
  },
  fromIterator(value: unknown): unknown {
    return value;
  },
  inOperator(item: unknown, container: unknown): boolean {
    return pyContains(container, item);
  },
  handleError(error: any, lineno: number, colno: number): unknown {
    lastRuntimeError = error;
    if (error && typeof error === 'object' && error.templateLine === undefined) {
      error.templateLine = lineno + 1;
      error.templateColumn = colno + 1;
    }
    return error;
  },
  pyTruthy,
  pyCmp: cmp,
  pyCmpChain(first: unknown, ...rest: unknown[]): boolean {
    let left = first;
    for (let i = 0; i < rest.length; i += 2) {
      const right = (rest[i + 1] as () => unknown)();
      if (!cmp(rest[i] as string, left, right)) return false;
      left = right;
    }
    return true;
  },
  pyAnd(left: unknown, right: () => unknown): unknown {
    return pyTruthy(left) ? right() : left;
  },
  pyOr(left: unknown, right: () => unknown): unknown {
    return pyTruthy(left) ? left : right();
  },
  pyBinop,
  pyNeg,
  pyConcat(a: unknown, b: unknown): string {
    return pyStr(a) + pyStr(b);
  },
  pySlice(start: unknown, stop: unknown, step: unknown): SliceKey {
    return new SliceKey(start as number | null, stop as number | null, step as number | null);
  },
  pyIter(value: unknown): unknown[] {
    return pyIterate(value);
  },
  pyIterPairs(value: unknown): unknown {
    if (value instanceof Undefined) value.fail();
    if (isMapping(value)) return value; // nunjucks binds (key, value) for mappings
    return pyIterate(value);
  },
  pyFloat,
  pyTuple(...items: unknown[]): unknown[] {
    return tuple(items);
  },
  pySetAttr(obj: unknown, key: unknown, value: unknown): void {
    if (!(obj instanceof Namespace)) {
      throw new PyError(`cannot assign attribute on non-namespace object (${pyTypeName(obj)})`);
    }
    obj.set(typeof key === 'string' ? key : pyStr(key), value);
  },
  /** `x | name`: only filters registered under that name (never `constructor` & co). */
  pyFilter(env: Registry, name: string): (...args: unknown[]) => unknown {
    return filterNamed(env, name);
  },
  pyTest(env: Registry, name: string): (...args: unknown[]) => unknown {
    return testNamed(env, name);
  },
  /** `{% for x in items if cond %}`: Jinja filters before the loop, so loop.* counts kept items. */
  pyLoopFilter(items: unknown, keep: (item: unknown) => boolean): unknown[] {
    const list = isMapping(items) ? Object.entries(items) : (items as unknown[]);
    return list.filter(keep);
  },
  /** `{{ x }}` as the whole template: keep the native value (Ansible converts it later). */
  pyNative(value: unknown): unknown {
    if (value instanceof Undefined) value.fail();
    return value;
  },
});


/** The error last thrown inside a template, then reset: nunjucks wraps what it rethrows. */
export function takeRuntimeError(): unknown {
  const err = lastRuntimeError;
  lastRuntimeError = null;
  return err;
}
