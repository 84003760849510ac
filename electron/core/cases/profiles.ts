import { AppError } from '../../../shared/api/result';
import { deadlineRulesOf, type DeadlineRules } from '../../../shared/domain/cases';
import { BUILTIN_PROFILES, DEFAULT_PROFILE_ID } from '../../../shared/rules/builtin';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';

/** What a case takes from its platform's rule profile. */
export interface CaseProfile {
  id: string;
  version: string;
  name: { 'zh-CN': string; en: string };
  deadlines: DeadlineRules;
  statementMaxChars: number | null;
  profile: RuleProfile;
}

/**
 * Profiles a case can use: the built-in ones and any staff-made profile the checks
 * service keeps (it registers a lookup on the context when present). Inside a
 * transaction pass its `trx` as `db`: on SQLite a read on the outer Db would wait for
 * the transaction forever.
 */
export async function caseProfile(ctx: CoreContext, id?: string | null, db: Db = ctx.db): Promise<CaseProfile> {
  const wanted = id || ctx.settings.get().profileId || DEFAULT_PROFILE_ID;
  const p = await lookup(ctx, wanted, db);
  if (!p)
    throw new AppError('NOT_FOUND', `Unknown rule profile: ${wanted}`, {
      profileId: wanted,
      problem: 'no-such-profile',
    });
  return {
    id: p.id,
    version: String(p.version),
    name: p.name,
    deadlines: deadlineRulesOf(p),
    statementMaxChars: p.statement?.maxChars.value ?? null,
    profile: p,
  };
}

/** Finds a stored profile by id, reading through `db` (the caller's transaction, when in one). */
export type ProfileLookup = (id: string, db: Db) => Promise<RuleProfile | undefined>;
const lookups = new WeakMap<CoreContext, ProfileLookup>();

/**
 * The checks service (issue 3) registers its profile store here so staff-made profiles
 * work too, e.g. `(id, db) => new ProfileStore(db).find(id)`.
 */
export function registerProfileLookup(ctx: CoreContext, fn: ProfileLookup): void {
  lookups.set(ctx, fn);
}

async function lookup(ctx: CoreContext, id: string, db: Db): Promise<RuleProfile | undefined> {
  const registered = lookups.get(ctx);
  return (registered ? await registered(id, db) : undefined) ?? BUILTIN_PROFILES.find((p) => p.id === id);
}
