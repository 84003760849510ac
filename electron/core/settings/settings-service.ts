import { SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/domain/settings';
import { isValidPattern } from '../../../shared/domain/scan-code';
import { AppError } from '../../../shared/api/result';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { appendAudit } from '../audit/audit-log';

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
  ) {}

  static async open(db: Db): Promise<SettingsService> {
    return new SettingsService(db, await readSettings(db));
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: SettingsPatch, actor = ''): Promise<Settings> {
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
      await appendAudit(trx, {
        actor: actor || next.operator,
        action: 'settings.update',
        entity: 'settings',
        details: { keys: Object.keys(patch) },
      });
    });
    this.current = next;
    return next;
  }
}

/** The stored settings; a missing, unreadable or invalid document reads as the defaults. */
async function readSettings(db: Db): Promise<Settings> {
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
