import type { Handlers } from '../../../shared/api/contract';
import type { HubHost } from '../../web/hub-host';
import type { CoreContext } from '../context';
import { syncNow } from '../sync/station-sync';
import { syncStatusOf } from '../sync/sync-status';
import type { SyncLoop } from '../sync/sync-loop';
import { createPairingCode, listHubStations, renameHubStation, revokeHubStation } from './hub-stations';
import { managedGroupsOf, setManagedGroups } from './hub-managed-settings';
import type { ApplyManaged } from './apply-managed-settings';
import { hubLinkOf, joinHub } from './join-hub';
import { AppError } from '../../../shared/api/result';
import { startStoreCheck } from './hub-jobs';

type HubHandlers = Pick<
  Handlers,
  | 'hub.link'
  | 'hub.join'
  | 'hub.syncStatus'
  | 'hub.syncNow'
  | 'hub.hostStatus'
  | 'hub.pairCode'
  | 'hub.stations'
  | 'hub.revokeStation'
  | 'hub.renameStation'
  | 'hub.managedGroups'
  | 'hub.setManagedGroups'
  | 'hub.checkStore'
>;

const NOT_HOSTING = {
  enabled: false,
  running: false,
  port: null,
  urls: [],
  fingerprint: null,
  mediaRoot: null,
  problem: null,
  error: null,
};

/**
 * The hub calls of the app: a station's side (its link, sync state, "sync now") and, when
 * this PC is the warehouse hub, the hub's side (pairing codes, stations, revoking).
 */
export function hubHandlers(
  ctx: CoreContext,
  deps: { syncLoop: () => SyncLoop | null; host: () => HubHost | null; applyManaged: ApplyManaged },
): HubHandlers {
  const { db } = ctx;
  const actor = () => ctx.settings.get().operator || 'station';
  return {
    'hub.link': () => hubLinkOf(db),
    'hub.join': async (i) => {
      const link = await joinHub(db, i, { actor: actor() });
      deps.syncLoop()?.wake();
      return link;
    },
    'hub.syncStatus': () => syncStatusOf(db, ctx.settings.managedByHub()),
    'hub.syncNow': () => syncNow(db, ctx.paths.root, { applyManaged: deps.applyManaged }),
    'hub.hostStatus': () => deps.host()?.status() ?? NOT_HOSTING,
    'hub.pairCode': (i) => createPairingCode(db, i.stationName),
    'hub.stations': () => listHubStations(db),
    'hub.revokeStation': async (i) => ({ revoked: await revokeHubStation(db, i.stationName) }),
    'hub.renameStation': async (i) => ({ renamed: await renameHubStation(db, i.stationName, i.newName) }),
    'hub.managedGroups': async () => ({ groups: await managedGroupsOf(db) }),
    'hub.setManagedGroups': async (i) => ({ groups: await setManagedGroups(db, i.groups, actor()) }),
    'hub.checkStore': async () => {
      const jobs = deps.host()?.jobs();
      if (!jobs) throw new AppError('CONFLICT', 'This PC is not serving as the hub', { problem: 'hub-not-serving' });
      return { jobId: await startStoreCheck(ctx, jobs) };
    },
  };
}
