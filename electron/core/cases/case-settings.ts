import { z } from 'zod';
import type { DB } from '../db/connection';
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

export function getCaseSettings(db: DB): CaseSettings {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'cases'").get() as { value: string } | undefined;
  try {
    const parsed = CaseSettingsSchema.safeParse(row ? JSON.parse(row.value) : {});
    if (parsed.success) return parsed.data;
  } catch {
    /* a damaged row falls back to the defaults */
  }
  return CaseSettingsSchema.parse({});
}

export function updateCaseSettings(db: DB, patch: Partial<CaseSettings>, actor: string): CaseSettings {
  const next = CaseSettingsSchema.parse({ ...getCaseSettings(db), ...patch });
  db.transaction(() => {
    db.prepare(
      "INSERT INTO settings (key, value) VALUES ('cases', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(JSON.stringify(next));
    appendAudit(db, { actor, action: 'cases.settings', entity: 'settings', details: next });
  })();
  return next;
}
