/**
 * Limits every YAML/JSON loader applies before turning a parsed document into data, so hostile
 * input (alias bombs, self-referencing aliases, absurd nesting) fails with a clear error in
 * bounded time and memory instead of hanging or overflowing the stack later.
 */
import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';

/** Deepest nesting of lists/maps accepted (PyYAML and Jinja recurse too; real files stay far below). */
const MAX_YAML_DEPTH = 200;
/** Values aliases may add on top of the document's own (a "billion laughs" needs far more). */
const MAX_ALIAS_EXPANSION = 100_000;

/** Bad or hostile YAML, and where in the text (0-based offset): loaders turn it into their own error. */
export class YamlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'YamlError';
  }
}

interface Shape {
  /** Values in the node once aliases are expanded. */
  size: number;
  /** Nesting below the node, aliases expanded. */
  height: number;
}

/**
 * Throws YamlError when the document nests too deep (the parser's own stack overflow
 * included), an alias refers to its own anchor, or aliases expand to too many values. Call it
 * before reporting the document's other errors (a stack overflow is recorded as one of them).
 */
export function checkYamlDocument(doc: Document): void {
  const overflow = doc.errors.find((e) => e instanceof RangeError || /call stack/i.test(e.message));
  if (overflow) throw tooDeep(overflow.pos[0]);
  if (doc.errors.length > 0) return; // the loader reports the syntax error
  const anchors = new Map<string, Node>();
  const shapes = new Map<Node, Shape>();
  const open = new Set<Node>();
  let aliased = 0;

  const visit = (node: unknown, depth: number): Shape => {
    if (isPair(node)) {
      const k = visit(node.key, depth);
      const v = visit(node.value, depth);
      return { size: k.size + v.size, height: Math.max(k.height, v.height) };
    }
    if (!isAlias(node) && !isCollection(node)) {
      if (isScalar(node) && node.anchor) anchors.set(node.anchor, node);
      return { size: 1, height: 0 };
    }
    const offset = (node as Node).range?.[0] ?? 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) throw new YamlError(`YAML alias *${node.source} has no anchor &${node.source} before it`, offset);
      if (open.has(target)) throw new YamlError(`YAML alias *${node.source} refers to its own anchor (recursive data)`, offset);
      const shape = shapes.get(target) ?? { size: 1, height: 0 };
      aliased += shape.size;
      if (aliased > MAX_ALIAS_EXPANSION) {
        throw new YamlError(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?)`, offset);
      }
      if (depth + shape.height > MAX_YAML_DEPTH) throw tooDeep(offset);
      return shape;
    }
    if (depth >= MAX_YAML_DEPTH) throw tooDeep(offset);
    if (node.anchor) anchors.set(node.anchor, node);
    open.add(node);
    const shape: Shape = { size: 1, height: 1 };
    for (const item of node.items) {
      const child = visit(item, depth + 1);
      shape.size += child.size;
      shape.height = Math.max(shape.height, child.height + 1);
    }
    open.delete(node);
    shapes.set(node, shape);
    return shape;
  };
  visit(doc.contents, 0);
}

/**
 * Rejects text that nests deeper than MAX_YAML_DEPTH before the parser sees it: the parser
 * recurses per level, and a stack overflow inside it can even abort the process (V8 fails to
 * compile a regular expression on an exhausted stack). A linear scan of block indentation
 * levels and flow brackets; it can only over-count where a document is already absurd.
 */
export function checkYamlText(text: string): void {
  const levels: number[] = []; // columns where the open block nodes start
  let flow = 0;
  let quote: string | undefined;
  let scalarIndent: number | undefined; // inside a block scalar: lines indented more than this
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const indent = line.length - line.trimStart().length;
    const blank = indent === line.length || line[indent] === '#';
    if (scalarIndent !== undefined) {
      if (blank || indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    let i = 0;
    if (!quote && flow === 0 && !blank) {
      i = indent;
      for (;;) {
        while (levels.length && levels[levels.length - 1]! >= i) levels.pop();
        levels.push(i);
        if (levels.length > MAX_YAML_DEPTH) throw tooDeep(start + i);
        if (!/^[-?](?: |$)/.test(line.slice(i, i + 2))) break;
        i += 1;
        while (line[i] === ' ') i++;
        if (i >= line.length) break;
      }
    }
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      const tokenStart = i === 0 || ' \t[{,:'.includes(line[i - 1]!);
      if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if ((ch === '"' || ch === "'") && tokenStart) quote = ch;
      else if ((ch === '[' || ch === '{') && (flow > 0 || tokenStart)) {
        flow++;
        if (levels.length + flow > MAX_YAML_DEPTH) throw tooDeep(start + i);
      } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
    }
    if (!quote && flow === 0 && /(?:^|\s)[|>][-+0-9]*\s*(?:#.*)?$/.test(line)) scalarIndent = indent;
  }
}

/** Nesting check for data from elsewhere (JSON.parse): throws YamlError at offset 0. */
export function checkDataDepth(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_YAML_DEPTH) throw tooDeep(0, 'data');
  for (const child of Object.values(value)) checkDataDepth(child, depth + 1);
}

function tooDeep(offset: number, what = 'YAML'): YamlError {
  return new YamlError(`${what} nested more than ${MAX_YAML_DEPTH} levels deep`, offset);
}
