/**
 * Asking for a secret (sudo password, key passphrase) on the terminal without echoing it.
 * Never logs or returns it anywhere but to the caller.
 */
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import { InputError } from '../errors.js';

export type SecretPrompt = (question: string) => Promise<string>;

export function terminalSecretPrompt(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): SecretPrompt {
  return (question) => {
    if (!input.isTTY) {
      return Promise.reject(new InputError(`${question.trim()} needs a terminal, and stdin is not one`));
    }
    return new Promise<string>((resolve) => {
      let muted = false;
      const sink = new Writable({
        write(chunk, _enc, cb) {
          if (!muted) output.write(chunk);
          cb();
        },
      });
      const rl = readline.createInterface({ input, output: sink, terminal: true });
      rl.question(question, (answer) => {
        rl.close();
        output.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  };
}
