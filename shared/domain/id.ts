import { z } from 'zod';

/**
 * The id of a row a station made: a UUIDv7 string (time-ordered, unique across
 * stations). Recordings keep their random UUIDs, which this accepts too.
 */
export type Id = string;

/** Use for every id field of a call's input (instead of z.number().int().positive()). */
export const idSchema = z.uuid();
