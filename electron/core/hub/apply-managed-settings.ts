import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { managedKeys, type ManagedSettingsAnswer } from '../../../shared/hub/managed-settings';
import { ProfileStore } from '../checks/profile-store';
import type { Db } from '../db/db';
import type { SettingsService } from '../settings/settings-service';

/**
 * What the hub manages, applied at this station when it changed: the rule profile it names
 * first (so the setting never points at a profile this station lacks), then the groups'
 * values and this station's name, with what is now managed, in one settings write. Values
 * go through this station's own settings schema: one it cannot take fails the pass in
 * words and changes nothing.
 */
export type ApplyManaged = (answer: ManagedSettingsAnswer) => Promise<boolean>;

export function managedSettingsApplier(
  db: Db,
  settings: SettingsService,
  opts: { now?: () => Date; onApplied?: (next: Settings) => void } = {},
): ApplyManaged {
  const now = opts.now ?? (() => new Date());
  return async (answer) => {
    if (settings.managedByHub()?.revision === answer.revision) return false;
    const patch: Record<string, unknown> = { stationName: answer.stationName };
    for (const k of managedKeys(answer.groups)) if (k in answer.values) patch[k] = answer.values[k];
    const store = new ProfileStore(db);
    for (const p of answer.profiles) await store.save(JSON.parse(p.data), 'hub');
    const next = await settings.applyFromHub(patch as SettingsPatch, {
      revision: answer.revision,
      groups: answer.groups,
      appliedAt: now().toISOString(),
    });
    opts.onApplied?.(next);
    return true;
  };
}
