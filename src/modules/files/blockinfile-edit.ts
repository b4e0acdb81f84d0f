/**
 * Ansible's blockinfile algorithm (ansible-core 2.14 blockinfile.py main()) as a pure function on
 * the file's text. Lines keep their endings like Python's bytes.splitlines(True).
 */
import { pythonRegex, searchLine } from '../../python/re.js';
import type { TextEdit } from './text-edit.js';

export type BlockinfileParams = {
  state?: 'present' | 'absent';
  marker?: string;
  block?: string;
  insertafter?: string;
  insertbefore?: string;
  marker_begin?: string;
  marker_end?: string;
}

const splitLines = (text: string): string[] => text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

/** Where the block goes when its markers are not both in the file. */
function insertionIndex(original: string, lines: string[], insertafter: string | undefined, insertbefore: string | undefined): number {
  // As in Ansible, only EOF is special for insertafter: insertafter=BOF is the regex "BOF".
  let pattern: string | undefined;
  if (insertafter !== undefined && insertafter !== 'EOF') pattern = insertafter;
  else if (insertbefore !== undefined && insertbefore !== 'BOF') pattern = insertbefore;
  if (pattern === undefined) return insertbefore !== undefined ? 0 : lines.length;
  const re = pythonRegex(pattern);
  let n0: number | undefined;
  if (re.multiline) {
    const m = re.exec(original);
    if (m) n0 = original.slice(0, insertafter ? m.index + m[0].length : m.index).split('\n').length - 1;
  } else {
    for (const [i, line] of lines.entries()) if (searchLine(re, line)) n0 = i;
  }
  if (n0 === undefined) return lines.length;
  return insertafter !== undefined ? n0 + 1 : n0;
}

/** `original` undefined: the file does not exist (create=true). */
export function blockinfileEdit(original: string | undefined, p: BlockinfileParams): TextEdit {
  const lines = splitLines(original ?? '');
  const marker = p.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const marker0 = `${marker.replaceAll('{mark}', p.marker_begin ?? 'BEGIN')}\n`;
  const marker1 = `${marker.replaceAll('{mark}', p.marker_end ?? 'END')}\n`;
  let block = p.block ?? '';
  let blockLines: string[] = [];
  if (p.state !== 'absent' && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [marker0, ...splitLines(block), marker1];
  }
  const insertafter = p.insertbefore === undefined && p.insertafter === undefined ? 'EOF' : p.insertafter;
  let n0 = lines.lastIndexOf(marker0);
  const n1 = lines.lastIndexOf(marker1);
  if (n0 === -1 || n1 === -1) {
    n0 = insertionIndex(original ?? '', lines, insertafter, p.insertbefore);
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blockLines);
  const content = lines.join('');
  if (original === content) return { content, changed: false, msg: '' };
  const msg = original === undefined ? 'File created' : blockLines.length ? 'Block inserted' : 'Block removed';
  return { content, changed: true, msg };
}
