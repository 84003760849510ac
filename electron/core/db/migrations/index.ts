import type { Migration } from '../migrate';
import { m001Foundation } from './001-foundation';

/** Append only. Never edit a migration that has shipped: add the next number. */
export const migrations: readonly Migration[] = [m001Foundation];
