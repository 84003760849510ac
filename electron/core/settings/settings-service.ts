import { SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/domain/settings';
import { isValidPattern } from '../../../shared/domain/scan-code';
import { AppError } from '../../../shared/api/result';
import type { DB } from '../db/connection';
import { appendAudit } from '../audit/audit-log';

/** Station settings, one JSON document in the settings table, validated on every read. */
export class SettingsService {
  private cache: Settings | null = null;
  constructor(private db: DB) {}

  get(): Settings {
    if (this.cache) return this.cache;
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'app'").get() as { value: string } | undefined;
    let stored: unknown;
    try {
      stored = row ? JSON.parse(row.value) : {};
    } catch {
      stored = {};
    }
    const parsed = SettingsSchema.safeParse(stored);
    this.cache = parsed.success ? parsed.data : SettingsSchema.parse({});
    return this.cache;
  }

  update(patch: SettingsPatch, actor = ''): Settings {
    const next = SettingsSchema.parse({ ...this.get(), ...patch });
    for (const p of [...next.orderPatterns, ...next.trackingPatterns, ...next.serialPatterns]) {
      if (!isValidPattern(p))
        throw new AppError('INVALID_INPUT', `Not a valid pattern: ${p}`, { pattern: p, problem: 'bad-pattern' });
    }
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO settings (key, value) VALUES ('app', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .run(JSON.stringify(next));
      appendAudit(this.db, {
        actor: actor || next.operator,
        action: 'settings.update',
        entity: 'settings',
        details: { keys: Object.keys(patch) },
      });
    })();
    this.cache = next;
    return next;
  }
}
