import { InputError } from '../errors.js';
import type { SerialValue } from '../playbook/model.js';
import { maxFailPercentage, serialItem } from '../playbook/serial.js';

/**
 * Split a play's hosts into rolling batches as Ansible 2.14's _get_serialized_batches does.
 * `serial` is the play's templated value: a number, a percentage ("20%"), or a list of them
 * whose last entry repeats (a template may yield any of these). A size <= 0 takes every remaining host.
 */
export function serialBatches(hosts: string[], serial: unknown): string[][] {
  const items = serial === undefined || serial === null ? [] : Array.isArray(serial) ? serial : [serial];
  const sizes = items.map((raw) => batchSize(raw, hosts.length));
  if (sizes.length === 0) sizes.push(0);
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

function batchSize(raw: unknown, total: number): number {
  const item = serialItem(raw);
  if (item === undefined) {
    throw new InputError(`serial: ${JSON.stringify(raw)} is not a number or a percentage like "20%" (nor a list of them)`);
  }
  return sizeOf(item, total);
}

/** pct_to_int: a percentage of the play's hosts rounds down (in floating point, as Python), but never to 0. */
function sizeOf(item: SerialValue, total: number): number {
  if (typeof item === 'number') return item;
  return Math.trunc((Number(item.slice(0, -1)) / 100) * total) || 1;
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

/** The play's max_fail_percentage, a template read once per play like `serial`. */
export function templatedMaxFail(value: number | string | undefined, template: (t: string) => unknown): number | undefined {
  if (typeof value !== 'string') return value;
  const result = template(value);
  const n = maxFailPercentage(result);
  if (n === undefined) throw new InputError(`max_fail_percentage: ${JSON.stringify(result)} is not a number from 0 to 100`);
  return n;
}
