import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useApi, useEvent } from '../api/context';
import { describeError } from '../api/errors';
import { useNotify } from '../components/Notices';
import { JobsIndicator } from '../components/JobsIndicator';
import { SyncIndicator, SyncStatusProvider } from '../components/SyncIndicator';
import { I18nProvider, useT } from '../i18n';
import { screens } from './routes';
import { SettingsProvider, useSettings } from './settings-context';
import { NoticesProvider } from '../components/Notices';
import { translate, type Lang } from '../../../shared/i18n';

/** Loads settings (language first), then shows the screens. */
export function App() {
  const api = useApi();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  useEffect(() => {
    void api.call('settings.get', {}).then((r) => {
      if (r.ok) setSettings(r.value);
      else setFatal(describeError((k, p) => translate('zh-CN', k, p), r.error));
    });
  }, [api]);
  if (fatal) return <div className="fatal">{fatal}</div>;
  if (!settings) return <div className="fatal">…</div>;
  return (
    <LangRoot initialLang={settings.language}>
      <NoticesProvider>
        <SettingsProvider initial={settings}>
          <SyncStatusProvider>
            <Shell />
          </SyncStatusProvider>
        </SettingsProvider>
      </NoticesProvider>
    </LangRoot>
  );
}

function LangRoot({ initialLang, children }: { initialLang: Lang; children: React.ReactNode }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <I18nProvider lang={lang} setLang={setLang}>
      {children}
    </I18nProvider>
  );
}

function Shell() {
  const { t, lang, setLang } = useT();
  const { settings } = useSettings();
  const notify = useNotify();
  const api = useApi();
  const [active, setActive] = useState<{ id: string; arg?: string }>({ id: 'station' });
  const [visited, setVisited] = useState<Set<string>>(new Set(['station']));
  useEffect(() => {
    if (settings.language !== lang) setLang(settings.language);
  }, [settings.language, lang, setLang]);
  useEffect(() => {
    void api.call('app.info', {}).then((r) => {
      if (r.ok) for (const n of r.value.startupNotices) notify.show('warn', t(`startup.${n.code}`, n.params));
    });
  }, [api]); // eslint-disable-line react-hooks/exhaustive-deps
  useEvent('notice', (n) => notify.show(n.level, t(n.code, n.params)));
  const navigate = (id: string, arg?: string) => {
    setVisited((v) => new Set(v).add(id));
    setActive({ id, arg });
  };
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">{t('app.name')}</div>
        <nav>
          {screens.map((s) => (
            <button
              key={s.id}
              className={active.id === s.id ? 'tab active' : 'tab'}
              onClick={() => navigate(s.id)}
              data-testid={`nav-${s.id}`}
            >
              {t(s.labelKey)}
            </button>
          ))}
        </nav>
        <SyncIndicator />
        <JobsIndicator />
      </header>
      <main>
        {screens.map((s) => {
          const isActive = active.id === s.id;
          if (!isActive && !(s.keepMounted && visited.has(s.id))) return null;
          const C = s.component;
          return (
            <section key={s.id} className="screen" hidden={!isActive}>
              <C active={isActive} navigate={navigate} arg={isActive ? active.arg : undefined} />
            </section>
          );
        })}
      </main>
    </div>
  );
}
