import os from 'node:os';
import type { HubHostStatus } from '../../shared/hub/protocol';
import type { Core } from '../core/core';
import { forgetHubFingerprint, loadHubTls } from '../core/hub/hub-tls';
import type { SharedJobs } from '../core/jobs/shared-jobs';
import { startHubServer, type HubServer } from './hub-server';

type HubServeSettings = { enabled: boolean; port: number; https?: boolean };

export interface HubHost {
  /** serve, stop or move to the port the settings say (calls are applied in order) */
  apply(settings: HubServeSettings): Promise<HubHostStatus>;
  status(): HubHostStatus;
  /** the serving hub's long jobs; null while not serving */
  jobs(): SharedJobs | null;
  close(): Promise<void>;
}

/** http(s)://ADDRESS:PORT/ for each IPv4 LAN address (what staff type at a station); loopback if none. */
function lanUrls(scheme: string, port: number): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  return (addresses.length ? addresses : ['127.0.0.1']).map((a) => `${scheme}://${a}:${port}/`);
}

/**
 * "This PC is the warehouse hub": the desktop app (or loopback mode) serves stations on the
 * LAN exactly as `proofpack hub` does, with this data folder's database and hub-media
 * folder, started and stopped as the setting changes. A port already taken is said in
 * words and the app goes on as a station.
 */
export function createHubHost(getCore: () => Core): HubHost {
  let server: HubServer | null = null;
  let wanted: HubServeSettings = { enabled: false, port: 0, https: false };
  let error: string | null = null;
  let problem: HubHostStatus['problem'] = null;
  let queue: Promise<unknown> = Promise.resolve();

  const status = (): HubHostStatus => ({
    enabled: wanted.enabled,
    running: !!server,
    port: server?.port ?? null,
    urls: server ? lanUrls(server.fingerprint ? 'https' : 'http', server.port) : [],
    fingerprint: server?.fingerprint ?? null,
    mediaRoot: server?.mediaRoot ?? null,
    problem,
    error,
  });

  const applyNow = async (next: HubServeSettings) => {
    const samePort = server && (next.port === 0 || next.port === server.port);
    const sameScheme = server && !!next.https === !!server.fingerprint;
    if (server && (!next.enabled || !samePort || !sameScheme)) {
      await server.close();
      server = null;
    }
    wanted = next;
    error = null;
    problem = null;
    if (next.enabled && !server) {
      try {
        const core = getCore();
        const dataDir = core.ctx.paths.root;
        const tls = next.https ? await loadHubTls(dataDir) : undefined;
        if (!tls) forgetHubFingerprint(dataDir);
        server = await startHubServer({ core, host: '0.0.0.0', port: next.port, tls });
      } catch (e) {
        const inUse = (e as { code?: string }).code === 'EADDRINUSE';
        problem = inUse ? 'hub-port-in-use' : 'hub-host-failed';
        error = inUse ? `port ${next.port} is already in use` : (e as Error).message;
      }
    }
    return status();
  };

  return {
    apply(next) {
      const run = queue.then(() => applyNow(next));
      queue = run.catch(() => undefined);
      return run;
    },
    status,
    jobs: () => server?.jobs ?? null,
    async close() {
      await queue;
      await server?.close();
      server = null;
    },
  };
}
