import { createHash } from 'node:crypto';
import type { Settings } from '../../../shared/domain/settings';
import {
  MANAGED_GROUPS,
  pickManaged,
  type ManagedGroup,
  type ManagedSettingsAnswer,
} from '../../../shared/hub/managed-settings';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';

/** The hub's choice of managed groups, a row of its settings table. */
const KEY = 'hub-managed';

export async function managedGroupsOf(db: Db): Promise<ManagedGroup[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  try {
    const groups = (JSON.parse(row?.value ?? '{}') as { groups?: unknown }).groups;
    return Array.isArray(groups) ? MANAGED_GROUPS.filter((g) => groups.includes(g)) : [];
  } catch {
    return [];
  }
}

/**
 * Which groups of station settings this hub manages (none: every station keeps its own).
 * The values are the hub's own settings at the time a station asks, so editing them on
 * the hub (in its app, or its data folder's settings) reaches every station on its next
 * report; this only chooses the groups. Audited in the hub's chain.
 */
export async function setManagedGroups(db: Db, groups: ManagedGroup[], actor: string, now = new Date()) {
  const chosen = MANAGED_GROUPS.filter((g) => groups.includes(g));
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: KEY, value: JSON.stringify({ groups: chosen }) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
    await appendAudit(
      trx,
      { actor, action: 'hub.settings-managed', entity: 'settings', details: { groups: chosen } },
      now,
    );
  });
  return chosen;
}

/** The answer to one station's `GET /hub/v1/settings`. */
export async function managedSettingsFor(
  db: Db,
  settings: Settings,
  station: { name: string },
): Promise<ManagedSettingsAnswer> {
  const groups = await managedGroupsOf(db);
  const values = pickManaged(settings, groups) as Record<string, unknown>;
  const profiles: ManagedSettingsAnswer['profiles'] = [];
  if (groups.includes('rules')) {
    const row = await db
      .selectFrom('rule_profiles')
      .select(['id', 'data'])
      .where('id', '=', settings.profileId)
      .executeTakeFirst();
    if (row) profiles.push(row);
  }
  const revision = createHash('sha256')
    .update(JSON.stringify([groups, values, profiles, station.name]))
    .digest('hex');
  return { revision, groups, values, profiles, stationName: station.name };
}
