import { v7 } from 'uuid';

/**
 * Ids of rows a station creates: UUIDv7 text. The first 48 bits are the time in ms, so
 * ids sort in creation order (b-tree indexes stay append-mostly) and two stations never
 * hand out the same id without talking to each other.
 */
export const newId = (): string => v7();

/**
 * Ids for rows that already exist (migration 006): made from the row's own time, with a
 * counter so rows in the same millisecond keep their order. Feed rows in their old id
 * order; a time earlier than the previous row's (a clock step back) is lifted to it, so
 * the new ids sort exactly like the old integer ids.
 */
export function idSequence(): (at: string | null | undefined, plusMs?: number) => string {
  let lastMs = 0;
  let seq = 0;
  return (at, plusMs = 0) => {
    const parsed = at ? Date.parse(at) + plusMs : NaN;
    const ms = Number.isFinite(parsed) && parsed > lastMs ? parsed : lastMs;
    seq = ms === lastMs ? seq + 1 : 0;
    lastMs = ms;
    return v7({ msecs: ms, seq });
  };
}
