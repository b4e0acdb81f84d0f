/**
 * nunjucks pastes names from the template into the JavaScript it generates (`frame.set("x", ...)`,
 * `context.setVariable("x", ...)`, macro argument lists) without escaping them, and its lexer
 * lets a name hold quotes and backticks; a name there could close the string and inject code.
 * Jinja only has identifiers, so every name must be one, and every place that binds a name must
 * hold a name (not a string literal) before the template is compiled.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { nodes } from './nunjucks-internals.js';

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
// Filter and test names may be qualified: ansible.builtin.to_json.
const QUALIFIED = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

type NameError = (message: string, node: any) => void;

function describe(node: any): string {
  if (node instanceof nodes.Literal) return `a ${typeof node.value === 'string' ? 'string' : 'literal'} (${JSON.stringify(node.value)})`;
  return `a ${String(node?.typename ?? 'value').toLowerCase()} expression`;
}

function requireName(node: any, fail: NameError, what: string): void {
  if (!(node instanceof nodes.Symbol) || !IDENTIFIER.test(node.value)) {
    fail(`${what} must be a name, not ${node instanceof nodes.Symbol ? JSON.stringify(node.value) : describe(node)}`, node);
  }
}

/** The names a node binds (its targets, loop variables, macro signature, import aliases). */
function checkBindings(node: any, fail: NameError): void {
  if (node instanceof nodes.Set) {
    for (const t of node.targets) if (!(t instanceof nodes.LookupVal)) requireName(t, fail, 'a set target');
  } else if (node instanceof nodes.For) {
    const names = node.name instanceof nodes.Array ? node.name.children : [node.name];
    for (const n of names) requireName(n, fail, 'a loop variable');
  } else if (node instanceof nodes.Macro) {
    requireName(node.name, fail, 'a macro name');
    for (const arg of node.args.children) {
      if (arg instanceof nodes.Dict) for (const pair of arg.children) requireName(pair.key, fail, 'a macro argument');
      else requireName(arg, fail, 'a macro argument');
    }
  } else if (node instanceof nodes.Import) {
    requireName(node.target, fail, 'an import alias');
  } else if (node instanceof nodes.FromImport) {
    for (const n of node.names.children) {
      if (n instanceof nodes.Pair) {
        requireName(n.key, fail, 'an imported name');
        requireName(n.value, fail, 'an import alias');
      } else requireName(n, fail, 'an imported name');
    }
  } else if (node instanceof nodes.Block) {
    requireName(node.name, fail, 'a block name');
  }
}

/** Throws (through `fail`) on the first name that is not a Jinja identifier. */
export function checkTemplateNames(node: any, fail: NameError): void {
  if (Array.isArray(node)) {
    for (const child of node) checkTemplateNames(child, fail);
    return;
  }
  if (!(node instanceof nodes.Node)) return;
  if (node instanceof nodes.Symbol && !QUALIFIED.test(node.value)) fail(`${JSON.stringify(node.value)} is not a valid name`, node);
  checkBindings(node, fail);
  node.iterFields((value: unknown) => checkTemplateNames(value, fail));
}
