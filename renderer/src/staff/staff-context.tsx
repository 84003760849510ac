import { createContext, useContext } from 'react';
import type { StaffClient, StaffSession } from './staff-client';

export interface StaffContextValue {
  client: StaffClient;
  session: StaffSession;
  /** shows a problem or a confirmation in the page's notice line */
  notify: (kind: 'ok' | 'error', text: string) => void;
  go: (hash: string) => void;
}

export const StaffContext = createContext<StaffContextValue | null>(null);

export function useStaff(): StaffContextValue {
  const c = useContext(StaffContext);
  if (!c) throw new Error('useStaff outside StaffApp');
  return c;
}
