import { z } from 'zod';
import { call } from '../define';
import type { HubHostStatus, HubLink, HubStationInfo, SyncSummary } from '../../hub/protocol';
import { MANAGED_GROUPS, type ManagedGroup } from '../../hub/managed-settings';

/** What the station shows about its sync (Settings and the status bar). */
export interface SyncStatus {
  linked: boolean;
  /** files not yet verified by the hub, and their size */
  queued: number;
  queuedBytes: number;
  verified: number;
  lastVerifiedAt: string | null;
  lastError: string | null;
  /** when the hub last answered this station (null: never, or not paired) */
  lastContactAt: string | null;
  /** this PC's clock minus the hub's, as last measured (null: not yet) */
  clockSkewMs: number | null;
  /** the groups of settings the hub manages here (shown as "managed by the hub"); null: not told yet */
  managedGroups: ManagedGroup[] | null;
}

export const hubCalls = {
  /** the warehouse hub this station is paired with, or null */
  'hub.link': call<HubLink | null>()(z.object({}).strict()),
  /** pair this station with a hub using the one-time code shown there */
  'hub.join': call<HubLink>()(
    z
      .object({
        hubUrl: z.string().trim().min(1).max(500),
        code: z.string().trim().min(1).max(32),
        /** the hub's certificate fingerprint read off its screen (HTTPS); optional */
        fingerprint: z.string().trim().max(200).optional(),
      })
      .strict(),
  ),
  /** the station's outbox: files waiting for the hub, verified ones, the last error */
  'hub.syncStatus': call<SyncStatus>()(z.object({}).strict()),
  /** sync now (the background loop also does, every few seconds) */
  'hub.syncNow': call<SyncSummary>()(z.object({}).strict()),
  /** this PC as the warehouse hub (Settings → hubServe): serving or not, and where */
  'hub.hostStatus': call<HubHostStatus>()(z.object({}).strict()),
  /** on the hub: a one-time pairing code (10 min) for the station named */
  'hub.pairCode': call<{ code: string; expiresAt: string }>()(
    z.object({ stationName: z.string().trim().min(1).max(64) }).strict(),
  ),
  /** on the hub: every paired station with its last status report */
  'hub.stations': call<HubStationInfo[]>()(z.object({}).strict()),
  /** on the hub: revoke the credential of the station(s) with that name; the count revoked */
  'hub.revokeStation': call<{ revoked: number }>()(
    z.object({ stationName: z.string().trim().min(1).max(64) }).strict(),
  ),
  /** on the hub: rename a paired station; it takes the new name at its next report */
  'hub.renameStation': call<{ renamed: number }>()(
    z.object({ stationName: z.string().trim().min(1).max(64), newName: z.string().trim().min(1).max(64) }).strict(),
  ),
  /** on the hub: hash every stored file again, as a job (its result: a StoreCheckResult) */
  'hub.checkStore': call<{ jobId: string }>()(z.object({}).strict()),
  /** on the hub: which groups of station settings it manages (central settings) */
  'hub.managedGroups': call<{ groups: ManagedGroup[] }>()(z.object({}).strict()),
  /** on the hub: choose the managed groups; the hub's own values reach every station within a minute */
  'hub.setManagedGroups': call<{ groups: ManagedGroup[] }>()(
    z.object({ groups: z.array(z.enum(MANAGED_GROUPS)).max(MANAGED_GROUPS.length) }).strict(),
  ),
};
