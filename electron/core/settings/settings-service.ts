import { SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/domain/settings';
import { isValidPattern } from '../../../shared/domain/scan-code';
import { AppError } from '../../../shared/api/result';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { appendAudit } from '../audit/audit-log';
import { managedKeys, type ManagedState } from '../../../shared/hub/managed-settings';

/** The settings row that remembers what the hub manages here (null row: nothing). */
const MANAGED_KEY = 'managed-by-hub';

/**
 * Station settings, one JSON document in the settings table, validated when read.
 * Read once when the core opens (`await SettingsService.open(db)`), then served from
 * memory: `get()` stays synchronous for the many places that consult a setting, and every
 * change goes through `update`, which writes the row before the cache changes.
 */
export class SettingsService {
  private constructor(
    private db: Db,
    private current: Settings,
    private managed: ManagedState | null,
  ) {}

  static async open(db: Db): Promise<SettingsService> {
    return new SettingsService(db, await readSettings(db), await readManaged(db));
  }

  get(): Settings {
    return this.current;
  }

  /** what the hub last said it manages at this station (null: never paired, or never told) */
  managedByHub(): ManagedState | null {
    return this.managed;
  }

  /**
   * A change made here. Keys in a group the hub manages are refused in words: they would be
   * overwritten at the next sync, and staff must see where the value comes from.
   */
  async update(patch: SettingsPatch, actor = ''): Promise<Settings> {
    const locked = managedKeys(this.managed?.groups ?? []);
    // a station the hub has answered is named on the hub (it would be renamed back)
    if (this.managed) locked.add('stationName');
    const refused = Object.keys(patch).filter(
      (k) =>
        locked.has(k as keyof Settings) &&
        JSON.stringify(patch[k as keyof SettingsPatch]) !== JSON.stringify(this.current[k as keyof Settings]),
    );
    if (refused.length)
      throw new AppError('CONFLICT', `Managed by the warehouse hub: ${refused.join(', ')}`, {
        problem: 'settings-managed-by-hub',
        keys: refused.join(', '),
      });
    return this.write(patch, actor, 'settings.update');
  }

  /** The hub's values for the groups it manages (and this station's name), and what it manages now. */
  async applyFromHub(patch: SettingsPatch, state: ManagedState): Promise<Settings> {
    const next = await this.write(patch, 'hub', 'settings.from-hub', async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key: MANAGED_KEY, value: JSON.stringify(state) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
        .execute();
    });
    this.managed = state;
    return next;
  }

  private async write(
    patch: SettingsPatch,
    actor: string,
    action: string,
    alsoIn?: (trx: Db) => Promise<void>,
  ): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...patch });
    for (const p of [...next.orderPatterns, ...next.trackingPatterns, ...next.serialPatterns, ...next.skuPatterns]) {
      if (!isValidPattern(p))
        throw new AppError('INVALID_INPUT', `Not a valid pattern: ${p}`, { pattern: p, problem: 'bad-pattern' });
    }
    await inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key: 'app', value: JSON.stringify(next) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
        .execute();
      await alsoIn?.(trx);
      await appendAudit(trx, {
        actor: actor || next.operator,
        action,
        entity: 'settings',
        details: { keys: Object.keys(patch) },
      });
    });
    this.current = next;
    return next;
  }
}

async function readManaged(db: Db): Promise<ManagedState | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', MANAGED_KEY).executeTakeFirst();
  try {
    const state = row ? (JSON.parse(row.value) as ManagedState) : null;
    return state && typeof state.revision === 'string' && Array.isArray(state.groups) ? state : null;
  } catch {
    return null;
  }
}

/** The stored settings; a missing, unreadable or invalid document reads as the defaults. */
/** The settings as stored now (another process may have changed them: shared hubs read them so). */
export async function readSettings(db: Db): Promise<Settings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'app').executeTakeFirst();
  let stored: unknown;
  try {
    stored = row ? JSON.parse(row.value) : {};
  } catch {
    stored = {};
  }
  const parsed = SettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : SettingsSchema.parse({});
}
