/**
 * Roles of hub accounts (issue 12). What each may do is decided on the hub for every call
 * and media route; the UI only hides what the role cannot use.
 * - admin: settings, users, stations — and everything a clerk does;
 * - clerk: cases, packets, import, coverage, dashboard — and everything a viewer does;
 * - packer: a packing station only (records; no hub-wide search);
 * - viewer: search and playback.
 */
export const ROLES = ['admin', 'clerk', 'packer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** A signed-in person as every part of the hub sees them. */
export interface HubUser {
  id: string;
  name: string;
  role: Role;
  /** the shops the user is limited to; empty: every shop */
  shops: string[];
  disabled: boolean;
  createdAt: string;
}

/** User names: what people type at sign-in; 1–64 characters, no control characters. */
export const USER_NAME_MAX = 64;
/** Passwords: at least this long (a passphrase is welcome), at most 256 characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
/** Shop names as the order import's 店铺 column has them. */
export const SHOP_MAX = 100;
