import { z } from 'zod';
import type { Settings } from '../domain/settings';

/**
 * Central settings (issue 11): groups of station settings a hub can manage. A managed group
 * takes the hub's values at every station paired with it, and the station shows it as
 * "managed by the hub" instead of letting it be edited there. Station names are always the
 * hub's (a station is named where it is paired).
 */
export const MANAGED_GROUPS = ['scanner', 'retention', 'rules'] as const;
export type ManagedGroup = (typeof MANAGED_GROUPS)[number];

export const GROUP_KEYS = {
  /** the scanner's timing, hotkeys and pedal, and which codes are orders, tracking numbers, serials, SKUs */
  scanner: ['scanner', 'hotkeys', 'trackingPatterns', 'orderPatterns', 'serialPatterns', 'skuPatterns'],
  /** disk reserve, retention days, local copies kept after the hub verified them */
  retention: ['storage'],
  /** the platform rule profile files are checked against */
  rules: ['profileId'],
} as const satisfies Record<ManagedGroup, readonly (keyof Settings)[]>;

/** The settings keys the groups cover. */
export const managedKeys = (groups: readonly ManagedGroup[]): Set<keyof Settings> =>
  new Set(groups.flatMap((g) => GROUP_KEYS[g]));

/** The values of the groups, from a full settings document. */
export function pickManaged(settings: Settings, groups: readonly ManagedGroup[]): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const k of managedKeys(groups)) out[k] = settings[k];
  return out as Partial<Settings>;
}

/**
 * `GET /hub/v1/settings`: what the hub manages, for the station asking. `revision` changes
 * whenever anything in it does; the station applies it only then. `values` is checked by
 * the station's own settings schema; `profiles` are the rule profiles the values name that
 * are not built in (or are edited built-ins), as stored on the hub.
 */
export const managedSettingsAnswer = z.object({
  revision: z.string().regex(/^[0-9a-f]{64}$/),
  groups: z.array(z.enum(MANAGED_GROUPS)),
  values: z.record(z.string(), z.unknown()),
  profiles: z.array(z.object({ id: z.string().min(1).max(64), data: z.string().max(1_000_000) })).max(20),
  stationName: z.string().min(1).max(64),
});
export type ManagedSettingsAnswer = z.infer<typeof managedSettingsAnswer>;

/** What a station keeps of the last answer it applied (settings row `managed-by-hub`). */
export interface ManagedState {
  revision: string;
  groups: ManagedGroup[];
  appliedAt: string;
}
