import type { StationLimits } from './useStation';

/** Pinduoduo's documented limits: one video at most 10 minutes and 300 MB. */
export const DEFAULT_LIMITS: StationLimits = { maxVideoMs: 10 * 60_000, maxVideoBytes: 300 * 1024 * 1024 };

/** The active rule profile's video limits for the live meters. */
export function useProfileLimits(profileId: string): StationLimits {
  void profileId;
  return DEFAULT_LIMITS;
}
