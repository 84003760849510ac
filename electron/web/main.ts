import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { displayDbTarget } from '../core/db/target-display';
import { resolveDataDir } from '../core/data-dir';
import { followRelocations } from '../core/storage/relocation';
import { startWebServer } from './server';
import { startPublicApiServer, type PublicApiServer } from './public-api-server';

/**
 * Loopback mode: the whole app (real core, real renderer) served on 127.0.0.1 for a
 * browser, used where Electron's binary is not installed and by the end-to-end tests.
 */
async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'data-dir': { type: 'string' },
      db: { type: 'string' },
      port: { type: 'string' },
      'api-port': { type: 'string' },
      web: { type: 'boolean' },
      'renderer-dir': { type: 'string' },
    },
    strict: false,
  });
  const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port ${values.port}`);
  let core = await createCore({
    dataDir,
    mode: 'web',
    recover: true,
    db: (values.db as string | undefined) || undefined,
  });
  const rendererDir =
    (values['renderer-dir'] as string | undefined) ?? path.resolve(__dirname, '..', '..', 'out', 'renderer');
  const server = await startWebServer({ core, port, rendererDir, token: process.env.PROOFPACK_TOKEN || undefined });
  // a data-folder move switches the server to a core on the new folder
  followRelocations(core, (next) => {
    server.swapCore(next);
    core = next;
    console.error(`Data folder moved to: ${next.ctx.paths.root}`);
  });
  // the order API is under /api/v1 of this server; --api-port adds a fixed port for an ERP
  const apiPortText = (values['api-port'] as string | undefined) ?? process.env.PROOFPACK_API_PORT;
  let api: PublicApiServer | null = null;
  if (apiPortText) {
    const apiPort = Number(apiPortText);
    if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65535)
      throw new Error(`Invalid --api-port ${apiPortText}`);
    api = await startPublicApiServer({ getCore: () => core, port: apiPort });
  }
  console.log(`ProofPack listening on ${server.url}`);
  if (api) console.error(`Order API: ${api.url}`);
  console.error(`Data folder: ${core.ctx.paths.root}`);
  console.error(`Database: ${displayDbTarget(core.ctx.dbTarget)}`);
  for (const n of core.ctx.startupNotices) console.error(`Notice: ${n.message}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    let step = 'the web server';
    // a stuck step must not keep a stopped app alive: recordings still open are
    // finalized from their parts at the next start, as after a crash
    const watchdog = setTimeout(() => {
      console.error(`ProofPack did not close ${step} within ${CLOSE_LIMIT_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, CLOSE_LIMIT_MS);
    try {
      await server.close();
      step = 'the order API';
      await api?.close();
      step = 'the data folder';
      await core.close();
    } catch (e) {
      console.error(`ProofPack could not close ${step}: ${(e as Error).message}`);
      process.exitCode = 1;
    }
    clearTimeout(watchdog);
    process.exit();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** how long closing may take before the app exits regardless (finalizing open recordings takes seconds) */
const CLOSE_LIMIT_MS = 60_000;

main().catch((e) => {
  console.error(`ProofPack could not start: ${(e as Error).message}`);
  process.exit(1);
});
