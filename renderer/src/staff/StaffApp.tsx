import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Lang } from '../../../shared/i18n';
import { I18nProvider, useT } from '../i18n';
import { AuditPage } from './AuditPage';
import { disputeScreensFor, isDisputeScreen } from './dispute-screens';
import { OrderPage } from './OrderPage';
import { SearchPage } from './SearchPage';
import { SignInPage } from './SignInPage';
import type { StaffClient, StaffSession } from './staff-client';
import { StaffContext, useStaff } from './staff-context';
import { UsersPage } from './UsersPage';

// the station's dispute screens are loaded when first opened: viewers and phones never fetch them
const DisputesPage = lazy(() => import('./DisputesPage').then((m) => ({ default: m.DisputesPage })));

const LANG_KEY = 'proofpack.staff.lang';
const firstLang = (): Lang =>
  ((localStorage.getItem(LANG_KEY) as Lang | null) ?? (navigator.language.startsWith('en') ? 'en' : 'zh-CN')) === 'en'
    ? 'en'
    : 'zh-CN';

/** The page's place, in its hash (#order=NO, #users, #cases=ID, #setup=TOKEN): back/forward and links work, nothing reaches the server. */
function useHash(): [URLSearchParams, (h: string) => void] {
  const [hash, setHash] = useState(() => location.hash.slice(1));
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const go = useCallback((h: string) => {
    location.hash = h;
  }, []);
  return [new URLSearchParams(hash), go];
}

export function StaffApp({ client }: { client: StaffClient }) {
  const [lang, setLangState] = useState<Lang>(firstLang);
  const setLang = (l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <I18nProvider lang={lang} setLang={setLang}>
      <Root client={client} />
    </I18nProvider>
  );
}

function Root({ client }: { client: StaffClient }) {
  const { t } = useT();
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [place, go] = useHash();
  useEffect(() => {
    client.onSignedOut = () => {
      setSession(null);
      setNotice({ kind: 'error', text: t('staff.signedOutElsewhere') });
    };
    void client.session().then(setSession);
  }, [client]); // eslint-disable-line react-hooks/exhaustive-deps
  const notify = useCallback((kind: 'ok' | 'error', text: string) => setNotice({ kind, text }), []);
  const setup = place.get('setup');
  if (session === undefined) return <div className="staff-loading">…</div>;
  if (!session || setup)
    return (
      <SignInPage
        client={client}
        setupToken={session ? null : setup}
        notice={notice}
        onSignedIn={(s) => {
          setNotice(null);
          setSession(s);
          if (setup) go('');
        }}
      />
    );
  const order = place.get('order');
  const admin = session.user.role === 'admin';
  const dispute = disputeScreensFor(session).find((d) => place.has(d));
  const page =
    order !== null
      ? 'order'
      : admin && place.has('users')
        ? 'users'
        : admin && place.has('audit')
          ? 'audit'
          : (dispute ?? 'search');
  return (
    <StaffContext.Provider value={{ client, session, notify, go }}>
      <Header page={page} onSignOut={(everywhere) => void client.signOut(everywhere).then(() => setSession(null))} />
      {notice && (
        <div className={`staff-notice ${notice.kind}`} data-testid={`staff-notice-${notice.kind}`} role="status">
          {notice.text}
          <button type="button" onClick={() => setNotice(null)} aria-label="×">
            ×
          </button>
        </div>
      )}
      <main className={isDisputeScreen(page) ? 'staff-main staff-main-wide' : 'staff-main'}>
        {isDisputeScreen(page) ? (
          <Suspense fallback={<div className="staff-loading">…</div>}>
            <DisputesPage screen={page} arg={place.get(page) || undefined} />
          </Suspense>
        ) : page === 'order' ? (
          <OrderPage orderNo={order!} />
        ) : page === 'users' ? (
          <UsersPage />
        ) : page === 'audit' ? (
          <AuditPage />
        ) : (
          <SearchPage />
        )}
      </main>
    </StaffContext.Provider>
  );
}

function Header({ page, onSignOut }: { page: string; onSignOut: (everywhere: boolean) => void }) {
  const { t, lang, setLang } = useT();
  const { session, go } = useStaff();
  return (
    <header className="staff-top">
      <strong>{t('staff.title')}</strong>
      <nav>
        <button type="button" className={page === 'search' ? 'on' : ''} onClick={() => go('')} data-testid="nav-search">
          {t('staff.nav.search')}
        </button>
        {disputeScreensFor(session).map((d) => (
          <button
            key={d}
            type="button"
            className={page === d ? 'on' : ''}
            onClick={() => go(d)}
            data-testid={`nav-${d}`}
          >
            {t(`nav.${d}`)}
          </button>
        ))}
        {session.user.role === 'admin' && (
          <button
            type="button"
            className={page === 'users' ? 'on' : ''}
            onClick={() => go('users')}
            data-testid="nav-users"
          >
            {t('staff.nav.users')}
          </button>
        )}
        {session.user.role === 'admin' && (
          <button
            type="button"
            className={page === 'audit' ? 'on' : ''}
            onClick={() => go('audit')}
            data-testid="nav-audit"
          >
            {t('staff.nav.audit')}
          </button>
        )}
      </nav>
      <span className="who" data-testid="staff-user">
        {session.user.name} · {t(`role.${session.user.role}`)}
      </span>
      <button type="button" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
        {lang === 'en' ? '中文' : 'English'}
      </button>
      <button type="button" onClick={() => onSignOut(false)} data-testid="sign-out">
        {t('staff.signOut')}
      </button>
      <button type="button" onClick={() => onSignOut(true)}>
        {t('staff.signOutEverywhere')}
      </button>
    </header>
  );
}
