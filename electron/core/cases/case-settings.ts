import { z } from 'zod';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { appendAudit } from '../audit/audit-log';

/**
 * Settings of the cases screen, kept in their own settings row so the station's
 * settings document stays the station's: when a deadline counts as near.
 */
export const CaseSettingsSchema = z.object({
  alertHours: z
    .number()
    .min(0.25)
    .max(24 * 7)
    .default(6),
});
export type CaseSettings = z.infer<typeof CaseSettingsSchema>;

export async function getCaseSettings(db: Db): Promise<CaseSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'cases').executeTakeFirst();
  try {
    const parsed = CaseSettingsSchema.safeParse(row ? JSON.parse(row.value) : {});
    if (parsed.success) return parsed.data;
  } catch {
    /* a damaged row falls back to the defaults */
  }
  return CaseSettingsSchema.parse({});
}

export async function updateCaseSettings(db: Db, patch: Partial<CaseSettings>, actor: string): Promise<CaseSettings> {
  return inTransaction(db, async (trx) => {
    const next = CaseSettingsSchema.parse({ ...(await getCaseSettings(trx)), ...patch });
    await trx
      .insertInto('settings')
      .values({ key: 'cases', value: JSON.stringify(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
    await appendAudit(trx, { actor, action: 'cases.settings', entity: 'settings', details: next });
    return next;
  });
}
