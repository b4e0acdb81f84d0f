import type { Renderer } from './events.js';
import { JsonLinesRenderer } from './json-lines.js';
import { PlainRenderer } from './plain.js';
import { TtyRenderer } from './tty.js';

/** --json -> JSON lines; a terminal -> live listr2 progress; otherwise Ansible-style plain lines. */
export function pickRenderer(opts: { json: boolean; verbose: number; showDiff: boolean; out: NodeJS.WritableStream }): Renderer {
  if (opts.json) return new JsonLinesRenderer(opts.out);
  const isTty = (opts.out as NodeJS.WriteStream).isTTY === true && !process.env.CI;
  return isTty ? new TtyRenderer(opts) : new PlainRenderer(opts);
}
