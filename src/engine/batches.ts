import { InputError } from '../errors.js';

export type SerialSpec = number | string | (number | string)[] | undefined;

/**
 * Split a play's hosts into rolling batches as Ansible does for `serial`:
 * a number, a percentage ("20%", at least 1 host), or a list whose last size repeats.
 */
export function serialBatches(hosts: string[], serial: SerialSpec): string[][] {
  if (serial === undefined || serial === null || (Array.isArray(serial) && serial.length === 0)) {
    return hosts.length ? [hosts] : [];
  }
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s) => batchSize(s, hosts.length));
  const batches: string[][] = [];
  let i = 0;
  let step = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(step, sizes.length - 1)];
    const n = size <= 0 ? hosts.length - i : size;
    batches.push(hosts.slice(i, i + n));
    i += n;
    step++;
  }
  return batches;
}

function batchSize(spec: number | string, total: number): number {
  if (typeof spec === 'number') return Math.trunc(spec);
  const s = String(spec).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return Math.max(1, Math.trunc((total * Number(pct[1])) / 100));
  if (/^-?\d+$/.test(s)) return Number(s);
  throw new InputError(`serial: "${s}" is not a number or a percentage`);
}

/**
 * Ansible's max_fail_percentage: the play stops when MORE than this share of the batch failed.
 * Without it, the play stops only when every host of the batch failed.
 */
export function batchFailed(batchSize: number, failedInBatch: number, maxFailPercentage: number | undefined): boolean {
  if (batchSize === 0) return false;
  if (maxFailPercentage === undefined) return failedInBatch >= batchSize;
  return (failedInBatch / batchSize) * 100 > maxFailPercentage;
}
