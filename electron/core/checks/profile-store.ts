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
import type { DB } from '../db/connection';

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
 * Rule profiles: the built-in ones, and staff-made or staff-edited ones stored in
 * SQLite. Every save is validated by the same schema as the built-ins, gets the next
 * version number (check results record which version judged them) and is audited.
 */
export class ProfileStore {
  constructor(private db: DB) {}

  private stored(): Map<string, { version: number; data: string }> {
    const rows = this.db.prepare('SELECT id, version, data FROM rule_profiles').all() as {
      id: string;
      version: number;
      data: string;
    }[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  list(): StoredProfileSummary[] {
    const stored = this.stored();
    const out: StoredProfileSummary[] = [];
    for (const b of BUILTIN_PROFILES) {
      const p = stored.has(b.id) ? this.get(b.id) : b;
      out.push({
        id: p.id,
        version: p.version,
        name: p.name,
        platform: p.platform,
        builtIn: true,
        customized: stored.has(b.id),
      });
    }
    for (const id of stored.keys()) {
      if (builtinProfile(id)) continue;
      const p = this.get(id);
      out.push({ id, version: p.version, name: p.name, platform: p.platform, builtIn: false, customized: false });
    }
    return out;
  }

  get(id: string): RuleProfile {
    const row = this.db.prepare('SELECT version, data FROM rule_profiles WHERE id = ?').get(id) as
      { version: number; data: string } | undefined;
    if (row) {
      const r = parseProfileJson(row.data);
      // a stored profile that no longer validates (schema changed) falls back to the built-in
      if (r.ok) return { ...r.profile, version: row.version };
    }
    const b = builtinProfile(id);
    if (b) return b;
    throw new AppError('NOT_FOUND', `No rule profile "${id}"`, { id });
  }

  has(id: string): boolean {
    return !!builtinProfile(id) || !!this.db.prepare('SELECT 1 FROM rule_profiles WHERE id = ?').get(id);
  }

  save(data: unknown, actor = ''): RuleProfile {
    const r = parseProfile(data);
    if (!r.ok) throw invalid(r.issues, 'Invalid profile');
    const id = r.profile.id;
    const existing = this.has(id) ? this.get(id) : null;
    // saving without a change keeps the version: stored check results stay current
    const same = (a: RuleProfile, b: RuleProfile) =>
      JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });
    if (existing && same(existing, r.profile)) return existing;
    const profile: RuleProfile = { ...r.profile, version: (existing?.version ?? 0) + 1 };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rule_profiles (id, version, data, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data, updated_at = excluded.updated_at`,
        )
        .run(id, profile.version, JSON.stringify(profile), new Date().toISOString());
      appendAudit(this.db, {
        actor,
        action: 'profile.saved',
        entity: 'profile',
        entityId: id,
        details: { version: profile.version },
      });
    })();
    return profile;
  }

  /** Delete a staff profile, or revert an edited built-in to what shipped. */
  remove(id: string, actor = ''): void {
    const info = this.db.transaction(() => {
      const res = this.db.prepare('DELETE FROM rule_profiles WHERE id = ?').run(id);
      if (res.changes) appendAudit(this.db, { actor, action: 'profile.deleted', entity: 'profile', entityId: id });
      return res;
    })();
    if (!info.changes)
      throw new AppError(
        'NOT_FOUND',
        builtinProfile(id) ? `"${id}" is built in and unchanged` : `No rule profile "${id}"`,
      );
  }

  /** `pdd`, `shopee`, a stored id, or a JSON file path (CLI). */
  resolve(ref: string): RuleProfile {
    return looksLikePath(ref) ? loadProfileFile(ref) : this.get(ref);
  }
}

/** Without a database (the CLI on bare files): built-ins or a file. */
export function resolveProfileWithoutDb(ref: string): RuleProfile {
  if (looksLikePath(ref)) return loadProfileFile(ref);
  const b = builtinProfile(ref);
  if (!b)
    throw new AppError('NOT_FOUND', `No rule profile "${ref}"`, { id: ref, known: BUILTIN_PROFILES.map((p) => p.id) });
  return b;
}
