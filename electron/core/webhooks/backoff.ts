/**
 * When a failed delivery is tried again: 10 s after the first failure, doubling each time,
 * at most an hour apart; after three days of failures it is marked failed (still listed,
 * and `webhook retry` sends it again). The schedule is stored with the row (the durable
 * outbox), which is why no in-memory retry library is used: see docs/ARCHITECTURE.md.
 */
export const FIRST_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 3_600_000;
export const GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}
