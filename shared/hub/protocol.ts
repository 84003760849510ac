import { z } from 'zod';

/**
 * The wire between a station and its hub (issue 11), validated on both sides: the hub
 * trusts no station input, and a station trusts no answer from whatever is at the URL.
 */
export const HUB_PREFIX = '/hub/v1';

export const pairRequest = z.object({
  code: z.string().min(1).max(32),
  /** the station's own id (UUID), the `station_id` its rows carry */
  stationId: z.string().uuid(),
});
export type PairRequest = z.infer<typeof pairRequest>;

export const pairResponse = z.object({
  hubId: z.string().uuid(),
  stationId: z.string().uuid(),
  stationName: z.string().min(1).max(64),
  credential: z.string().min(20).max(200),
  pairedAt: z.string().datetime(),
});
export type PairResponse = z.infer<typeof pairResponse>;

export const helloResponse = z.object({
  hubId: z.string().uuid(),
  stationId: z.string().uuid(),
  stationName: z.string(),
});
export type HelloResponse = z.infer<typeof helloResponse>;

export const hubErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), problem: z.string().optional() }),
});

/** What a station shows about its hub (the credential never leaves the core). */
export interface HubLink {
  hubUrl: string;
  hubId: string;
  stationName: string;
  pairedAt: string;
}
