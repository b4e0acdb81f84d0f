/** Helpers for Ansible filters whose output text is worth matching exactly. */
import { PyError } from './errors.js';

const UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/** ansible.module_utils.common.text.formatters.human_to_bytes */
export function humanToBytes(text: string, defaultUnit: string | null, isbits: boolean): number {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?\s*$/.exec(text);
  if (!m || m[1] === '') throw new PyError(`human_to_bytes() can't interpret following string: ${text}`);
  const num = Number(m[1]);
  const unit = m[2] ?? defaultUnit ?? '';
  const prefix = unit ? unit[0]!.toUpperCase() : '';
  const power = UNITS.indexOf(prefix);
  if (power < 0) throw new PyError(`human_to_bytes() failed to convert ${text}. Value is not a valid string (expect ${isbits ? 'bits' : 'bytes'})`);
  const rest = unit.slice(1);
  if (unit && rest && !(isbits ? /^(b|bit)$/ : /^(B|b|byte)$/i).test(rest) && !(rest === 'iB')) {
    if (!(unit.length === 1)) throw new PyError(`human_to_bytes() failed to convert ${text}. Value is not a valid string`);
  }
  return Math.round(num * 1024 ** power);
}

/** ansible.module_utils.common.text.formatters.bytes_to_human */
export function humanReadable(size: number, isbits: boolean, unit: string | null): string {
  const suffix = isbits ? 'bits' : 'Bytes';
  const base = isbits ? 'b' : 'B';
  for (let i = UNITS.length - 1; i >= 0; i--) {
    const limit = 1024 ** i;
    const u = UNITS[i]!;
    if ((unit && unit.toUpperCase() === u) || (!unit && size >= limit) || i === 0) {
      const value = size / limit;
      const text = value.toFixed(2);
      return i === 0 ? `${text} ${suffix}` : `${text} ${u}${base}`;
    }
  }
  return `${size.toFixed(2)} ${suffix}`;
}

/** Python json's message for the most common failure (text that is not JSON at all). */
export function pythonJsonError(text: string): string | null {
  const i = text.search(/\S/);
  const pos = i < 0 ? text.length : i;
  const first = text[pos];
  if (first === undefined || !/[{["\-0-9tfnNI]/.test(first) || (/[tfnNI]/.test(first) && !/^(true|false|null|NaN|Infinity)/.test(text.slice(pos)))) {
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return `Expecting value: line ${line} column ${col} (char ${pos})`;
  }
  return null;
}
