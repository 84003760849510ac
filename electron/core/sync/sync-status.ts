import type { SyncStatus } from '../../../shared/api/calls/hub';
import type { ManagedState } from '../../../shared/hub/managed-settings';
import type { Db } from '../db/db';
import { outboxStatus } from './outbox';

/** What the station's status bar and Settings → Warehouse hub show about its sync. */
export async function syncStatusOf(db: Db, managed: ManagedState | null = null): Promise<SyncStatus> {
  const link = await db
    .selectFrom('hub_link')
    .select(['last_contact_at', 'clock_skew_ms', 'last_error'])
    .executeTakeFirst();
  const outbox = await outboxStatus(db);
  return {
    linked: !!link,
    ...outbox,
    // a file's own error first; else why the hub could not be told how this station is
    lastError: outbox.lastError ?? link?.last_error ?? null,
    lastContactAt: link?.last_contact_at ?? null,
    clockSkewMs: link?.clock_skew_ms == null ? null : Number(link.clock_skew_ms),
    managedGroups: link ? (managed?.groups ?? null) : null,
  };
}
