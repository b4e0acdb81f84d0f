/**
 * Bounded capture of one output stream of one command: the first and the last half of the limit
 * are kept, the middle is counted and replaced by a note, so a command that prints gigabytes
 * costs the controller at most the limit (plus one chunk) instead of all of it.
 */

/** Most bytes of stdout, and of stderr, kept per command (docs/output-limits.md). */
export const OUTPUT_LIMIT_BYTES = 10 * 1024 * 1024;

export function truncationNote(total: number, head: number, tail: number): string {
  return `\n[output truncated: ${total} bytes, showing the first ${head} and the last ${tail}]\n`;
}

export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(readonly limit = OUTPUT_LIMIT_BYTES) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  get size(): number {
    return this.total;
  }

  /** Keeps a copy of what it needs: `chunk` may be a view of a buffer that is reused. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(Buffer.from(rest.subarray(0, take)));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    if (rest.length >= this.tailLimit) {
      this.tail = [Buffer.from(rest.subarray(rest.length - this.tailLimit))];
      this.tailBytes = this.tailLimit;
      return;
    }
    this.tail.push(Buffer.from(rest));
    this.tailBytes += rest.length;
    while (this.tailBytes - this.tail[0].length >= this.tailLimit) this.tailBytes -= this.tail.shift()!.length;
  }

  /** Everything when it fit; else head + a note with the real size + tail. */
  toBuffer(): Buffer {
    if (this.total <= this.limit) return Buffer.concat([...this.head, ...this.tail]);
    const tail = Buffer.concat(this.tail);
    const shown = tail.subarray(tail.length - this.tailLimit);
    return Buffer.concat([...this.head, Buffer.from(truncationNote(this.total, this.headBytes, shown.length)), shown]);
  }
}
