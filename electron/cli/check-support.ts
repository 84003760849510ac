import fs from 'node:fs';
import { isAppError } from '../../shared/api/result';
import { translate, type Lang } from '../../shared/i18n';
import { BUILTIN_PROFILES, DEFAULT_PROFILE_ID } from '../../shared/rules/builtin';
import { formatBytes, formatDuration } from '../../shared/rules/describe';
import type { RuleProfile } from '../../shared/rules/profile-schema';
import { ProfileStore, looksLikePath, resolveProfileWithoutDb } from '../core/checks/profile-store';
import type { CheckReport } from '../core/checks/check-file';
import { UsageError } from './args';
import { cliLang } from './cli-support';
import { dbOptionGiven, withCore } from './open-core';

/**
 * What `check` and `fix` share: language, profile and file resolution, and the
 * human-readable report. With --data-dir or --db the database's settings language and
 * stored profiles count; without either, no database is opened (bare files need none).
 */
export const checkOptions = {
  profile: { type: 'string' },
  tracking: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export function pickLang(flag: string | undefined, settingsLang?: Lang): Lang {
  if (flag === 'en' || flag === 'zh-CN') return flag;
  if (flag === 'zh' || flag === 'cn') return 'zh-CN';
  if (flag !== undefined) throw new UsageError(`--lang takes en or zh-CN, not ${flag}`);
  return cliLang(settingsLang);
}

export interface CheckEnv {
  lang: Lang;
  profile: RuleProfile;
}

/** Resolve language and profile, opening the data folder only when one is named. */
export async function withCheckEnv<T>(
  values: { profile?: string; lang?: string; 'data-dir'?: string },
  fn: (env: CheckEnv) => Promise<T>,
): Promise<T> {
  const ref = values.profile ?? DEFAULT_PROFILE_ID;
  const resolve = async (lang: Lang, get: () => RuleProfile | Promise<RuleProfile>): Promise<RuleProfile> => {
    try {
      return await get();
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (looksLikePath(ref)) {
        const issues = (e.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
        const lines = issues?.map((i) => `  ${i.path}: ${i.message}`).join('\n') ?? `  ${e.message}`;
        throw new UsageError(`${translate(lang, 'cli.profile.invalid', { file: ref })}\n${lines}`);
      }
      throw new UsageError(
        translate(lang, 'cli.profile.unknown', { id: ref, known: BUILTIN_PROFILES.map((p) => p.id).join(', ') }),
      );
    }
  };
  if (values['data-dir'] || dbOptionGiven()) {
    return withCore(values['data-dir'], async (core) => {
      const lang = pickLang(values.lang, core.ctx.settings.get().language);
      const profile = await resolve(lang, () =>
        new ProfileStore(core.ctx.db).resolve(values.profile ?? core.ctx.settings.get().profileId),
      );
      return fn({ lang, profile });
    });
  }
  const lang = pickLang(values.lang);
  return fn({ lang, profile: await resolve(lang, () => resolveProfileWithoutDb(ref)) });
}

export function assertFilesExist(files: string[], lang: Lang): void {
  if (!files.length) throw new UsageError('No FILE given');
  for (const f of files) if (!fs.existsSync(f)) throw new UsageError(translate(lang, 'cli.file.missing', { file: f }));
}

/** One report as a few readable lines. */
export function printReport(r: CheckReport, lang: Lang, prefix = ''): void {
  const mark = r.state === 'block' ? '✘' : r.state === 'warn' ? '!' : '✔';
  const word = translate(
    lang,
    r.state === 'block' ? 'cli.check.notOk' : r.state === 'warn' ? 'cli.check.warn' : 'cli.check.ok',
  );
  const p = r.probe;
  const bits = [translate(lang, `kind.${r.kind}`), p.format ?? '?', formatBytes(p.bytes)];
  if (p.video?.durationSec != null) bits.push(formatDuration(p.video.durationSec));
  const w = p.video?.width ?? p.photo?.width;
  const h = p.video?.height ?? p.photo?.height;
  if (w && h) bits.push(`${w}×${h}`);
  console.log(`${prefix}${mark} ${word}  ${r.file}  (${bits.join(', ')})`);
  for (const f of r.findings) {
    const fix = f.fix ? `  → ${translate(lang, `fix.${f.fix}`)}` : '';
    console.log(`${prefix}   [${translate(lang, `severity.${f.severity}`)}] ${f.code}: ${f.message}${fix}`);
  }
}

/** The public JSON shape of one report (see README "Finding codes"). */
export function reportJson(r: CheckReport) {
  return {
    file: r.file,
    kind: r.kind,
    ok: r.ok,
    state: r.state,
    profile: r.profile,
    probe: r.probe,
    findings: r.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      ...(f.fix ? { fix: f.fix } : {}),
      params: f.params,
    })),
  };
}
