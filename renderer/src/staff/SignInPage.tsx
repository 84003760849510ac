import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import type { StaffClient, StaffSession } from './staff-client';

/** Sign in, or (from the one-time setup link) make the first admin and sign in as them. */
export function SignInPage(props: {
  client: StaffClient;
  setupToken: string | null;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  onSignedIn: (s: StaffSession) => void;
}) {
  const { t, lang, setLang } = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(props.notice?.text ?? null);
  const [busy, setBusy] = useState(false);
  const setup = props.setupToken;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (setup && password !== again) return setProblem(t('staff.passwordsDiffer'));
    setBusy(true);
    const r = await props.client.signIn(
      setup ? '/setup' : '/session',
      setup ? { name, password, token: setup } : { name, password },
    );
    setBusy(false);
    if (r.ok) props.onSignedIn(r.value);
    else setProblem(describeError(t, r.error));
  };
  return (
    <div className="staff-signin">
      <form onSubmit={(e) => void submit(e)} data-testid={setup ? 'setup-form' : 'sign-in-form'}>
        <h1>{setup ? t('staff.setupTitle') : t('staff.title')}</h1>
        {setup && <p className="help">{t('staff.setupHelp')}</p>}
        <label>
          {t('staff.name')}
          <input
            autoFocus
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="sign-in-name"
          />
        </label>
        <label>
          {t('staff.password')}
          <input
            type="password"
            autoComplete={setup ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="sign-in-password"
          />
        </label>
        {setup && (
          <label>
            {t('staff.passwordAgain')}
            <input
              type="password"
              autoComplete="new-password"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
              data-testid="sign-in-again"
            />
          </label>
        )}
        {problem && (
          <p className="problem" role="alert" data-testid="sign-in-problem">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy || !name || !password} data-testid="sign-in-submit">
          {setup ? t('staff.setupDo') : t('staff.signIn')}
        </button>
        <button type="button" className="link" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {lang === 'en' ? '中文' : 'English'}
        </button>
      </form>
    </div>
  );
}
