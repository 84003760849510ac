import { useQuery } from '../api/context';
import type { StationLimits } from './useStation';

/** Until the profile has loaded: Pinduoduo's documented limits (10 minutes, 300 MiB). */
export const DEFAULT_LIMITS: StationLimits = { maxVideoMs: 10 * 60_000, maxVideoBytes: 300 * 1024 * 1024 };

/** The active rule profile's video limits, for the live meters and the automatic split. */
export function useProfileLimits(profileId: string): StationLimits {
  const { data } = useQuery('profiles.get', { id: profileId }, [profileId]);
  if (!data) return DEFAULT_LIMITS;
  return { maxVideoMs: data.video.maxDurationSec.value * 1000, maxVideoBytes: data.video.maxBytes.value };
}
