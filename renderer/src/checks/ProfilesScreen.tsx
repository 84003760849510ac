import { useEffect, useRef, useState } from 'react';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import { parseProfile, ruleValues } from '../../../shared/rules/profile-schema';
import { builtinProfile } from '../../../shared/rules/builtin';
import { formatBytes, formatDuration } from '../../../shared/rules/describe';
import { useApi, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { ManagedNotice, useManagedByHub } from '../settings/ManagedByHub';
import { useT } from '../i18n';
import './checks.css';

/**
 * Settings → platform rules: every profile with its values marked documented or assumed,
 * the station's default, and an editor (JSON, validated by the core: each issue is
 * listed with its path). Saving a built-in stores an edited copy; revert removes it.
 */
export function ProfilesScreen() {
  const { t, lang } = useT();
  const hub = useManagedByHub();
  const api = useApi();
  const notify = useNotify();
  const { settings, update } = useSettings();
  const list = useQuery('profiles.list', {}, [settings.profileId]);
  const [selected, setSelected] = useState<string>(settings.profileId);
  const profile = useQuery('profiles.get', { id: selected }, [selected, list.data]);
  const [draft, setDraft] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  useEffect(() => {
    setDraft(null);
    setIssues([]);
  }, [selected]);
  // the editor opens under the long rules table: bring it into view, or "Edit" seems to do nothing
  const editor = useRef<HTMLDivElement>(null);
  const editing = draft !== null;
  useEffect(() => {
    if (editing) editor.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [editing]);

  const save = async () => {
    let data: unknown;
    try {
      data = JSON.parse(draft ?? '');
    } catch (e) {
      // the engine's message is English and names a character offset: say where instead
      setIssues([{ path: 'JSON', message: t('profiles.badJson', jsonErrorAt(draft ?? '', e as Error)) }]);
      return;
    }
    // checked here first so the issues read in the UI language; the core checks again
    const local = parseProfile(data, lang);
    if (!local.ok) {
      setIssues(local.issues);
      return;
    }
    const r = await api.call('profiles.save', { profile: data });
    if (!r.ok) {
      const d = r.error.details as { issues?: { path: string | string[]; message: string }[] } | undefined;
      setIssues(
        d?.issues?.map((i) => ({ path: Array.isArray(i.path) ? i.path.join('.') : i.path, message: i.message })) ?? [
          { path: '', message: describeError(t, r.error) },
        ],
      );
      return;
    }
    setIssues([]);
    setDraft(null);
    notify.show('success', t('profiles.saved', { version: r.value.version }));
    setSelected(r.value.id);
    list.reload();
    profile.reload();
  };
  const makeDefault = async (id: string) => {
    if (await update({ profileId: id })) await api.call('checks.reevaluate', {});
    list.reload();
  };
  const remove = async (id: string) => {
    const r = await api.call('profiles.delete', { id });
    if (!r.ok) notify.error(r.error);
    if (!list.data?.find((p) => p.id === id)?.builtIn) setSelected(settings.profileId);
    list.reload();
    profile.reload();
  };
  const duplicate = (p: RuleProfile) => {
    const copy = {
      ...p,
      id: `${p.id}-custom`,
      version: 1,
      name: { 'zh-CN': `${p.name['zh-CN']}（自定义）`, en: `${p.name.en} (custom)` },
    };
    setDraft(JSON.stringify(copy, null, 2));
  };

  const summary = list.data?.find((p) => p.id === selected);
  const p = profile.data;
  const shipped = p ? shippedNotes(p.id) : new Map<string, string>();
  return (
    <div className="profiles" data-testid="profiles">
      <aside>
        <h2>{t('profiles.title')}</h2>
        <ul className="profiles-list">
          {list.data?.map((s) => (
            <li key={s.id}>
              <button
                className={s.id === selected ? 'active' : ''}
                onClick={() => setSelected(s.id)}
                data-testid={`profile-${s.id}`}
              >
                <span>
                  {s.name[lang]} <span className="muted">v{s.version}</span>
                </span>
                <span className="muted">
                  {s.isDefault
                    ? t('profiles.default')
                    : s.builtIn
                      ? s.customized
                        ? t('profiles.customized')
                        : t('profiles.builtin')
                      : t('profiles.custom')}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <p className="muted">{t('profiles.assumedHint')}</p>
        <ManagedNotice groups={hub.groups} show={['rules']} />
      </aside>
      <section className="profile-detail">
        {profile.error && <p className="error">{describeError(t, profile.error)}</p>}
        {p && summary && (
          <>
            <div className="findings-head">
              <h3>
                {p.name[lang]}{' '}
                <span className="muted">
                  ({p.id} v{p.version})
                </span>
              </h3>
              <span className="spacer" />
              {!summary.isDefault && !hub.groups.has('rules') && (
                <button onClick={() => void makeDefault(p.id)} data-testid="make-default">
                  {t('profiles.makeDefault')}
                </button>
              )}
              <button onClick={() => setDraft(JSON.stringify(p, null, 2))} data-testid="profile-edit">
                {t('profiles.edit')}
              </button>
              <button onClick={() => duplicate(p)}>{t('profiles.duplicate')}</button>
              {summary.builtIn && summary.customized && (
                <button onClick={() => void remove(p.id)}>{t('profiles.revert')}</button>
              )}
              {!summary.builtIn && !summary.isDefault && (
                <button onClick={() => void remove(p.id)}>{t('profiles.delete')}</button>
              )}
            </div>
            {p.source && (
              <p className="muted">
                {shippedText(p.id, 'source', p.source.title, t, shipped)}
                {p.source.checkedAt ? ` · ${p.source.checkedAt}` : ''}
              </p>
            )}
            <table className="rules-table" data-testid="rules-table">
              <thead>
                <tr>
                  <th>{t('profiles.rule')}</th>
                  <th>{t('profiles.value')}</th>
                  <th>{t('profiles.basis')}</th>
                  <th>{t('profiles.note')}</th>
                </tr>
              </thead>
              <tbody>
                {ruleValues(p).map((r) => (
                  <tr key={r.path} data-path={r.path} data-basis={r.basis}>
                    <td>
                      {t(`rule.${r.path}`) === `rule.${r.path}` ? r.path : t(`rule.${r.path}`)}{' '}
                      <span className="code mono muted">{r.path}</span>
                    </td>
                    <td>{showValue(r.path, r.value)}</td>
                    <td>
                      <span className={`pill basis-${r.basis}`}>{t(`profiles.${r.basis}`)}</span>
                    </td>
                    <td className="muted">{shippedText(p.id, r.path, r.note, t, shipped)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {draft !== null && (
          <div className="profile-editor" ref={editor}>
            <label>
              {t('profiles.json')}
              <textarea
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                spellCheck={false}
                data-testid="profile-json"
              />
            </label>
            {issues.length > 0 && (
              <>
                <p className="error">{t('profiles.invalid')}</p>
                <ul className="issues" data-testid="profile-issues">
                  {issues.map((i, n) => (
                    <li key={n}>
                      <span className="mono">{i.path}</span>: {i.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <div className="actions">
              <button className="primary" onClick={() => void save()} data-testid="profile-save">
                {t('profiles.save')}
              </button>
              <button onClick={() => setDraft(null)}>{t('common.cancel')}</button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}

/** The notes (and source title) a built-in profile ships with, by rule path. */
function shippedNotes(id: string): Map<string, string> {
  const b = builtinProfile(id);
  const m = new Map<string, string>(b ? ruleValues(b).flatMap((r) => (r.note ? [[r.path, r.note]] : [])) : []);
  if (b?.source) m.set('source', b.source.title);
  return m;
}

/**
 * A built-in note still as shipped is shown in the UI language (profile-notes bundle);
 * a note staff wrote or changed is shown as they wrote it.
 */
function shippedText(
  id: string,
  path: string,
  text: string | undefined,
  t: (k: string) => string,
  shipped: Map<string, string>,
): string {
  const key = `profileNote.${id}.${path}`;
  return text && shipped.get(path) === text && t(key) !== key ? t(key) : (text ?? '');
}

/** Line and column of a JSON.parse error (V8 names a character position), 1-based. */
function jsonErrorAt(text: string, e: Error): { line: number; column: number } {
  const m = /position (\d+)/.exec(e.message);
  const before = text.slice(0, m ? Number(m[1]) : text.length).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function showValue(path: string, v: unknown): string {
  if (typeof v === 'number' && /Bytes$/.test(path)) return `${formatBytes(v)} (${v})`;
  if (typeof v === 'number' && /DurationSec$/.test(path)) return formatDuration(v);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}
