import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';

interface SettingsCtx {
  settings: Settings;
  update(patch: SettingsPatch): Promise<boolean>;
}
const Ctx = createContext<SettingsCtx | null>(null);

export function SettingsProvider({ initial, children }: { initial: Settings; children: ReactNode }) {
  const api = useApi();
  const notify = useNotify();
  const [settings, setSettings] = useState(initial);
  useEffect(() => setSettings(initial), [initial]);
  useEffect(() => api.on('settings.changed', (s) => setSettings(s)), [api]);
  const update = useCallback(
    async (patch: SettingsPatch) => {
      const r = await api.call('settings.update', patch);
      if (!r.ok) {
        notify.error(r.error);
        return false;
      }
      setSettings(r.value);
      return true;
    },
    [api, notify],
  );
  return <Ctx.Provider value={{ settings, update }}>{children}</Ctx.Provider>;
}

export function useSettings(): SettingsCtx {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useSettings outside SettingsProvider');
  return ctx;
}
