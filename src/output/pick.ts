import type { Renderer } from './events.js';

/**
 * Narrower than this (or a terminal that reports no width: 0 or undefined columns, as some
 * pseudo-terminals do), listr2 wraps each host row one character per line: plain lines instead.
 */
const MIN_TTY_COLUMNS = 20;

/**
 * --json -> JSON lines; a terminal -> live listr2 progress; otherwise Ansible-style plain lines.
 * Only the chosen renderer is loaded (listr2 and the diff library cost ~40 ms of CPU to load).
 */
export async function pickRenderer(opts: { json: boolean; verbose: number; showDiff: boolean; out: NodeJS.WritableStream }): Promise<Renderer> {
  if (opts.json) return new (await import('./json-lines.js')).JsonLinesRenderer(opts.out);
  const terminal = opts.out as Partial<NodeJS.WriteStream>;
  const wideEnough = typeof terminal.columns === 'number' && terminal.columns >= MIN_TTY_COLUMNS;
  const isTty = terminal.isTTY === true && wideEnough && !process.env.CI;
  return isTty ? new (await import('./tty.js')).TtyRenderer(opts) : new (await import('./plain.js')).PlainRenderer(opts);
}
