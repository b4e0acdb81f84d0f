import { createConnector, type ConnectorIo } from '../connectors/setup.js';
import type { ConnectionProvider } from '../engine/ports.js';
import type { GlobalOptions } from './options.js';

/**
 * The engine's view of the connector: one pooled connection per inventory host (SSH, or local
 * child processes for `connection: local`). Passwords met
 * while resolving targets are handed to `onSecret` so no output ever shows them.
 */
export async function sshConnections(
  args: GlobalOptions,
  onSecret: (s: string) => void,
  originOf?: (host: string, variable: string) => { file?: string; line?: number } | undefined,
  io: ConnectorIo = {},
): Promise<ConnectionProvider> {
  const connector = await createConnector(args, io);
  return {
    get(host, vars, keyword) {
      if (connector.connectionType(host, vars, keyword) === 'local') {
        const local = connector.localTarget(host, vars);
        if (local.becomePassword) onSecret(local.becomePassword);
        return Promise.resolve(connector.connectLocal(local));
      }
      const target = connector.targetOrUnreachable(host, vars, (variable) => originOf?.(host, variable));
      for (const secret of [target.password, target.becomePassword]) if (secret) onSecret(secret);
      return connector.pool.connect(target);
    },
    interruptAll: () => connector.interrupt(),
    closeAll: () => connector.close(),
  };
}
