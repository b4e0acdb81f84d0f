import type { Renderer } from './events.js';
import { JsonLinesRenderer } from './json-lines.js';
import { PlainRenderer } from './plain.js';
import { TtyRenderer } from './tty.js';

/**
 * Narrower than this (or a terminal that reports no width: 0 or undefined columns, as some
 * pseudo-terminals do), listr2 wraps each host row one character per line: plain lines instead.
 */
const MIN_TTY_COLUMNS = 20;

/** --json -> JSON lines; a terminal -> live listr2 progress; otherwise Ansible-style plain lines. */
export function pickRenderer(opts: { json: boolean; verbose: number; showDiff: boolean; out: NodeJS.WritableStream }): Renderer {
  if (opts.json) return new JsonLinesRenderer(opts.out);
  const terminal = opts.out as Partial<NodeJS.WriteStream>;
  const wideEnough = typeof terminal.columns === 'number' && terminal.columns >= MIN_TTY_COLUMNS;
  const isTty = terminal.isTTY === true && wideEnough && !process.env.CI;
  return isTty ? new TtyRenderer(opts) : new PlainRenderer(opts);
}
