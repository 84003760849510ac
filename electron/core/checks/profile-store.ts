import fs from 'node:fs';
import type { ProfileSummary } from '../../../shared/api/calls/checks';
import { AppError } from '../../../shared/api/result';
import { BUILTIN_PROFILES, builtinProfile } from '../../../shared/rules/builtin';
import {
  parseProfile,
  parseProfileJson,
  type ProfileIssue,
  type RuleProfile,
} from '../../../shared/rules/profile-schema';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';

export type StoredProfileSummary = Omit<ProfileSummary, 'isDefault'>;

const invalid = (issues: ProfileIssue[], what: string) =>
  new AppError('INVALID_INPUT', `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });

/** A profile from a JSON file (`--profile PATH`), validated with readable issues. */
export function loadProfileFile(file: string): RuleProfile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('NOT_FOUND', `Cannot read profile file ${file}: ${(e as Error).message}`, { file });
  }
  const r = parseProfileJson(text);
  if (!r.ok) throw invalid(r.issues, `Invalid profile file ${file}`);
  return r.profile;
}

/** A reference on the command line is a file when it looks like a path. */
export const looksLikePath = (ref: string) => /[\\/]/.test(ref) || /\.json$/i.test(ref);

/**
 * Rule profiles: the built-in ones, and staff-made or staff-edited ones stored in the
 * database. Every save is validated by the same schema as the built-ins, gets the next
 * version number (check results record which version judged them) and is audited.
 */
export class ProfileStore {
  constructor(private db: Db) {}

  private async stored(): Promise<Map<string, { version: number; data: string }>> {
    const rows = await this.db.selectFrom('rule_profiles').select(['id', 'version', 'data']).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async list(): Promise<StoredProfileSummary[]> {
    const stored = await this.stored();
    const out: StoredProfileSummary[] = [];
    for (const b of BUILTIN_PROFILES) {
      const row = stored.get(b.id);
      const p = row ? fromStored(b.id, row) : b;
      out.push({
        id: p.id,
        version: p.version,
        name: p.name,
        platform: p.platform,
        builtIn: true,
        customized: !!row,
      });
    }
    for (const [id, row] of stored) {
      if (builtinProfile(id)) continue;
      const p = fromStored(id, row);
      out.push({ id, version: p.version, name: p.name, platform: p.platform, builtIn: false, customized: false });
    }
    return out;
  }

  async get(id: string): Promise<RuleProfile> {
    const row = await this.db
      .selectFrom('rule_profiles')
      .select(['version', 'data'])
      .where('id', '=', id)
      .executeTakeFirst();
    return fromStored(id, row);
  }

  async has(id: string): Promise<boolean> {
    if (builtinProfile(id)) return true;
    return !!(await this.db.selectFrom('rule_profiles').select('id').where('id', '=', id).executeTakeFirst());
  }

  /** The profile with this id, or undefined when there is none (a lookup that never throws NOT_FOUND). */
  async find(id: string): Promise<RuleProfile | undefined> {
    return (await this.has(id)) ? this.get(id) : undefined;
  }

  async save(data: unknown, actor = ''): Promise<RuleProfile> {
    const r = parseProfile(data);
    if (!r.ok) throw invalid(r.issues, 'Invalid profile');
    const id = r.profile.id;
    return inTransaction(this.db, async (trx) => {
      // read and write in one transaction: two saves at once get versions n+1 and n+2
      const store = new ProfileStore(trx);
      const existing = (await store.has(id)) ? await store.get(id) : null;
      // saving without a change keeps the version: stored check results stay current
      const same = (a: RuleProfile, b: RuleProfile) =>
        JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });
      if (existing && same(existing, r.profile)) return existing;
      const profile: RuleProfile = { ...r.profile, version: (existing?.version ?? 0) + 1 };
      await trx
        .insertInto('rule_profiles')
        .values({ id, version: profile.version, data: JSON.stringify(profile), updated_at: new Date().toISOString() })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            version: (eb) => eb.ref('excluded.version'),
            data: (eb) => eb.ref('excluded.data'),
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          }),
        )
        .execute();
      await appendAudit(trx, {
        actor,
        action: 'profile.saved',
        entity: 'profile',
        entityId: id,
        details: { version: profile.version },
      });
      return profile;
    });
  }

  /** Delete a staff profile, or revert an edited built-in to what shipped. */
  async remove(id: string, actor = ''): Promise<void> {
    const deleted = await inTransaction(this.db, async (trx) => {
      const res = await trx.deleteFrom('rule_profiles').where('id', '=', id).executeTakeFirst();
      const n = Number(res.numDeletedRows);
      if (n) await appendAudit(trx, { actor, action: 'profile.deleted', entity: 'profile', entityId: id });
      return n;
    });
    if (!deleted)
      throw new AppError(
        'NOT_FOUND',
        builtinProfile(id) ? `"${id}" is built in and unchanged` : `No rule profile "${id}"`,
      );
  }

  /** `pdd`, `shopee`, a stored id, or a JSON file path (CLI). */
  async resolve(ref: string): Promise<RuleProfile> {
    return looksLikePath(ref) ? loadProfileFile(ref) : this.get(ref);
  }
}

/** A stored row as a profile; one that no longer validates (schema changed) falls back to the built-in. */
function fromStored(id: string, row: { version: number; data: string } | undefined): RuleProfile {
  if (row) {
    const r = parseProfileJson(row.data);
    if (r.ok) return { ...r.profile, version: row.version };
  }
  const b = builtinProfile(id);
  if (b) return b;
  throw new AppError('NOT_FOUND', `No rule profile "${id}"`, { id });
}

/** Without a database (the CLI on bare files): built-ins or a file. */
export function resolveProfileWithoutDb(ref: string): RuleProfile {
  if (looksLikePath(ref)) return loadProfileFile(ref);
  const b = builtinProfile(ref);
  if (!b)
    throw new AppError('NOT_FOUND', `No rule profile "${ref}"`, { id: ref, known: BUILTIN_PROFILES.map((p) => p.id) });
  return b;
}
