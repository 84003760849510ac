import { afterEach } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { dropDatabasesOf } from './test-db';

/**
 * Cores (a hub, stations: each its own data folder and database, in CLI mode) and hub
 * servers on 127.0.0.1 for one test file, all closed and their databases dropped after
 * each test.
 */
export function useHubCores(tmp: () => string) {
  const open: { cores: Core[]; servers: HubServer[]; dirs: string[] } = { cores: [], servers: [], dirs: [] };
  afterEach(async () => {
    for (const s of open.servers.splice(0)) await s.close().catch(() => undefined);
    for (const c of open.cores.splice(0)) await c.close();
    await dropDatabasesOf(open.dirs.splice(0));
  });
  return {
    async core(dataDir = tmp()): Promise<Core> {
      const c = await createCore({ dataDir, mode: 'cli' });
      open.cores.push(c);
      if (!open.dirs.includes(dataDir)) open.dirs.push(dataDir);
      return c;
    },
    async serve(opts: Omit<Parameters<typeof startHubServer>[0], 'host' | 'port'> & { port?: number }) {
      const server = await startHubServer({ host: '127.0.0.1', port: 0, ...opts });
      open.servers.push(server);
      return server;
    },
    /** a core closed by the test itself (a station restarting) is not closed again */
    forget(c: Core) {
      open.cores.splice(open.cores.indexOf(c), 1);
    },
  };
}
