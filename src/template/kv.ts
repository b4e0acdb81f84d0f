/**
 * Ansible's k=v argument parsing (ansible/parsing/splitter.py: split_args + parse_kv),
 * ported line for line because its quirks are what playbooks rely on:
 * whitespace splitting that keeps quoted strings and {{ }}/{% %}/{# #} blocks together,
 * `\=` escapes, escape decoding in values, and, for command-like modules, every token that
 * is not one of their own k=v options going into `_raw_params`.
 */

/** Options of command/shell/raw/script that may be given inline as k=v. */
const COMMAND_INLINE_OPTIONS = new Set([
  'creates',
  'removes',
  'chdir',
  'executable',
  'warn',
  'stdin',
  'stdin_add_newline',
  'strip_empty_ends',
]);

/** Modules whose free text is a command (Ansible's FREEFORM_ACTIONS). */
export const COMMAND_MODULES = new Set(['command', 'shell', 'raw', 'script']);

export class ArgSplitError extends Error {}

function isQuoted(data: string): boolean {
  return data.length > 1 && data[0] === data[data.length - 1] && (data[0] === '"' || data[0] === "'") && data[data.length - 2] !== '\\';
}

function unquote(data: string): string {
  return isQuoted(data) ? data.slice(1, -1) : data;
}

const SINGLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const ESCAPE_RE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'"abfnrtv]/g;

function decodeEscapes(s: string): string {
  return s.replace(ESCAPE_RE, (m) => {
    if (m.length === 2) return SINGLE_ESCAPES[m[1]!]!;
    return String.fromCodePoint(parseInt(m.slice(2), 16));
  });
}

function quoteState(token: string, quoteChar: string | null): string | null {
  let prev: string | null = null;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if (i > 0) prev = token[i - 1]!;
    if ((c === '"' || c === "'") && prev !== '\\') {
      if (quoteChar) {
        if (c === quoteChar) quoteChar = null;
      } else {
        quoteChar = c;
      }
    }
  }
  return quoteChar;
}

function countOccurrences(s: string, sub: string): number {
  return s.split(sub).length - 1;
}

function blockDepth(token: string, depth: number, open: string, close: string): number {
  const opened = countOccurrences(token, open);
  const closed = countOccurrences(token, close);
  if (opened !== closed) depth = Math.max(0, depth + opened - closed);
  return depth;
}

function joinArgs(parts: string[]): string {
  let result = '';
  for (const p of parts) result += result.length === 0 || result.endsWith('\n') ? p : ` ${p}`;
  return result;
}

/** split_args: whitespace split that keeps quotes and Jinja blocks together. */
function splitArgs(args: string): string[] {
  const params: string[] = [];
  const items = args.split('\n');
  let quoteChar: string | null = null;
  let insideQuotes = false;
  let printDepth = 0;
  let blockDepthN = 0;
  let commentDepth = 0;
  const appendToLast = (s: string) => {
    params[params.length - 1] = (params[params.length - 1] ?? '') + s;
  };

  items.forEach((item, itemIdx) => {
    const tokens = item.split(' ');
    let lineContinuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        appendToLast(' ');
        return;
      }
      if (token === '\\' && !insideQuotes) {
        lineContinuation = true;
        return;
      }
      const wasInsideQuotes = insideQuotes;
      quoteChar = quoteState(token, quoteChar);
      insideQuotes = quoteChar !== null;
      let appended = false;
      const inJinja = printDepth || blockDepthN || commentDepth;
      if (insideQuotes && !wasInsideQuotes && !inJinja) {
        params.push(token);
        appended = true;
      } else if (inJinja || insideQuotes || wasInsideQuotes) {
        if (idx === 0 && wasInsideQuotes) appendToLast(token);
        else if (tokens.length > 1) appendToLast(`${idx > 0 ? ' ' : ''}${token}`);
        else appendToLast(`\n${token}`);
        appended = true;
      }
      const prevPrint = printDepth;
      printDepth = blockDepth(token, printDepth, '{{', '}}');
      if (printDepth !== prevPrint && !appended) {
        params.push(token);
        appended = true;
      }
      const prevBlock = blockDepthN;
      blockDepthN = blockDepth(token, blockDepthN, '{%', '%}');
      if (blockDepthN !== prevBlock && !appended) {
        params.push(token);
        appended = true;
      }
      const prevComment = commentDepth;
      commentDepth = blockDepth(token, commentDepth, '{#', '#}');
      if (commentDepth !== prevComment && !appended) {
        params.push(token);
        appended = true;
      }
      if (!(printDepth || blockDepthN || commentDepth) && !insideQuotes && !appended && token !== '') params.push(token);
    });
    if (items.length > 1 && itemIdx !== items.length - 1 && !lineContinuation && params.length > 0) appendToLast('\n');
  });

  if (printDepth || blockDepthN || commentDepth || insideQuotes) {
    throw new ArgSplitError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}

/**
 * parse_kv. With `checkRaw` (command-like modules) only their inline options are taken as k=v;
 * everything else is free text in `_raw_params`. Without it, non-k=v tokens still land in
 * `_raw_params` (the caller rejects them for modules without free-form text).
 */
export function parseKv(args: string, checkRaw: boolean): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const orig of splitArgs(args)) {
    const x = decodeEscapes(orig);
    if (!x.includes('=')) {
      raw.push(orig);
      continue;
    }
    let pos = 0;
    let found = -1;
    for (;;) {
      pos = x.indexOf('=', pos + 1);
      if (pos === -1) break;
      if (pos > 0 && x[pos - 1] !== '\\') {
        found = pos;
        break;
      }
    }
    if (found === -1) {
      // only escaped '=' (or a leading '='): free text with the escapes removed
      raw.push(x.replace(/\\=/g, '='));
      continue;
    }
    const k = x.slice(0, found);
    const v = x.slice(found + 1);
    if (checkRaw && !COMMAND_INLINE_OPTIONS.has(k)) raw.push(orig);
    else options[k.trim()] = unquote(v.trim());
  }
  if (raw.length > 0) options['_raw_params'] = joinArgs(raw);
  return options;
}
