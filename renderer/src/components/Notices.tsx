import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { ApiError } from '../../../shared/api/result';
import { describeError } from '../api/errors';
import { useT } from '../i18n';

type Level = 'info' | 'warn' | 'error' | 'success';
interface Notice {
  id: number;
  level: Level;
  text: string;
}
interface Notify {
  show(level: Level, text: string): void;
  error(e: ApiError | unknown): void;
}

const NotifyContext = createContext<Notify | null>(null);
let nextId = 1;

/** Toasts in the corner; errors from calls go through `error()` so every one is translated. */
export function NoticesProvider({ children }: { children: ReactNode }) {
  const { t } = useT();
  const [items, setItems] = useState<Notice[]>([]);
  const show = useCallback((level: Level, text: string) => {
    const id = nextId++;
    // the same words already on screen are shown once, as the newest (a repeated notice)
    setItems((xs) => [...xs.filter((x) => x.level !== level || x.text !== text).slice(-4), { id, level, text }]);
    setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), level === 'error' ? 9000 : 5000);
  }, []);
  const error = useCallback(
    (e: unknown) => {
      const err = (e as { error?: ApiError }).error ?? (e as ApiError);
      show(
        'error',
        err && typeof err === 'object' && 'code' in err ? describeError(t, err) : String((e as Error)?.message ?? e),
      );
    },
    [show, t],
  );
  return (
    <NotifyContext.Provider value={{ show, error }}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {items.map((n) => (
          <div key={n.id} className={`notice notice-${n.level}`} data-testid={`notice-${n.level}`}>
            {n.text}
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  const ctx = useContext(NotifyContext);
  if (!ctx) throw new Error('useNotify outside NoticesProvider');
  return ctx;
}
