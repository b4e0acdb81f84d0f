import type { Renderer, RunEvent } from './events.js';

/** --json: one JSON object per event, one per line (already redacted by the engine). */
export class JsonLinesRenderer implements Renderer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  onEvent(e: RunEvent): void {
    this.out.write(`${JSON.stringify({ ...e, time: new Date().toISOString() })}\n`);
  }

  end(): void {}
}
