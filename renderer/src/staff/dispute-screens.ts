import type { StaffSession } from './staff-client';

/** The station's dispute screens the staff app offers (DisputesPage), each at its own hash route. */
export type DisputeScreen = 'cases' | 'coverage' | 'dashboard';
export const DISPUTE_SCREENS: readonly DisputeScreen[] = ['cases', 'coverage', 'dashboard'];

export const isDisputeScreen = (s: string): s is DisputeScreen => (DISPUTE_SCREENS as readonly string[]).includes(s);

/**
 * Cases, coverage and the dashboard see every shop's orders, so the hub serves their calls to
 * clerks and admins with no shop limit only (403 `shop-limited`, `role-forbidden`): the others
 * are not offered them.
 */
export const seesDisputes = (s: StaffSession): boolean =>
  (s.user.role === 'clerk' || s.user.role === 'admin') && s.user.shops.length === 0;
