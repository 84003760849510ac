import { portableMigration } from '../migrate';

/**
 * Staff accounts on the hub (issue 12): people at any desk or on a phone sign in.
 *
 * - `hub_users`: one row per person; `name_key` (the name folded: NFKC, lower case) is
 *   unique, so "Li Na" and "li na" are one account. `password_hash` is argon2id (the
 *   encoded string carries its own salt and cost).
 * - `hub_user_shops`: the shops a user is limited to (a 3PL's client); none: every shop.
 * - `hub_sessions`: a signed-in browser. The key is the SHA-256 of the cookie's token, so
 *   the database alone never yields a usable session; `csrf` is the token every
 *   state-changing call must echo.
 * - `hub_login_attempts`: failed sign-ins per key in the current window, shared by every hub
 *   process: `addr:<address>` (rate limit) and `name:<name_key>` (lockout; kept for names
 *   with no account too, so a lockout never tells whether an account exists).
 * - `hub_setup_tokens`: the one-time link `proofpack hub` prints while the hub has no admin
 *   (kept as a SHA-256, 24 h, used once).
 */
const DDL = `
  CREATE TABLE hub_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE hub_user_shops (
    user_id TEXT NOT NULL,
    shop TEXT NOT NULL,
    PRIMARY KEY (user_id, shop)
  );
  CREATE TABLE hub_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address TEXT,
    agent TEXT
  );
  CREATE INDEX hub_sessions_user ON hub_sessions(user_id);
  CREATE TABLE hub_login_attempts (
    attempt_key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
  );
  CREATE TABLE hub_setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
`;

export const m021HubAccounts = portableMigration(21, 'hub-accounts', DDL);
