/** Shared bits for the connector integration tests: a Connector that never touches ~/.ssh, output capture. */
import { Writable } from 'node:stream';
import type { CommandContext } from '../../../src/cli/command.js';
import type { GlobalOptions } from '../../../src/cli/options.js';
import { createConnector, type Connector, type ConnectorCliOptions } from '../../../src/connectors/setup.js';
import type { PingInventory } from '../../../src/cli/handlers/ping.js';

export function testConnector(homeDir: string, opts: Partial<ConnectorCliOptions> = {}): Promise<Connector> {
  return createConnector(
    { forks: 50, hostKeyChecking: 'strict', timeout: 10, sshConfig: '/dev/null', ...opts },
    {
      homeDir,
      localUser: 'root',
      env: {},
      prompt: () => Promise.reject(new Error('tests never prompt')),
    },
  );
}

export function globalOptions(over: Partial<GlobalOptions> = {}): GlobalOptions {
  return {
    inventory: [],
    limit: undefined,
    forks: 50,
    user: undefined,
    privateKey: undefined,
    connection: undefined,
    hostKeyChecking: 'strict',
    timeout: 10,
    become: false,
    askBecomePass: false,
    verbose: 0,
    json: true,
    sshConfig: '/dev/null',
    ...over,
  };
}

export function capture(): { ctx: CommandContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        append(String(chunk));
        cb();
      },
    });
  return {
    ctx: { signal: new AbortController().signal, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    out: () => out,
    err: () => err,
  };
}

/** A minimal inventory over explicit hosts and vars (what ping needs from src/inventory). */
export function staticInventory(vars: Record<string, Record<string, unknown>>): PingInventory {
  return {
    listHosts: (_pattern?: string, limit?: string) => {
      const names = Object.keys(vars);
      if (!limit) return names;
      const wanted = new Set(limit.split(/[,:]/));
      return names.filter((n) => wanted.has(n));
    },
    hostVars: (h) => vars[h],
  };
}

export function jsonLines(text: string): Record<string, any>[] {
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
