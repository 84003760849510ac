import { z } from 'zod';

/**
 * The id of a row a station made: a UUIDv7 string (time-ordered, unique across
 * stations). Recordings keep their random UUIDs, which this accepts too.
 */
export type Id = string;

/** Use for every id field of a call's input (instead of z.number().int().positive()). */
export const idSchema = z.uuid();

/**
 * A short reference to a row for people (folder names, messages): the last 8 hex digits,
 * which in a UUIDv7 are random — the leading ones are the time, alike for rows made
 * together. Unique enough where it is shown next to an order number; not a key.
 */
export const shortRef = (id: Id): string => id.replace(/-/g, '').slice(-8);
