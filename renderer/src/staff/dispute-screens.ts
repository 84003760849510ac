import type { StaffSession } from './staff-client';

/** The station's dispute screens the staff app offers (DisputesPage), each at its own hash route. */
export type DisputeScreen = 'cases' | 'coverage' | 'dashboard';
export const DISPUTE_SCREENS: readonly DisputeScreen[] = ['cases', 'coverage', 'dashboard'];

export const isDisputeScreen = (s: string): s is DisputeScreen => (DISPUTE_SCREENS as readonly string[]).includes(s);

/**
 * The dispute screens this person is offered. Clerks and admins get all three; one limited
 * to some shops (a 3PL's client) gets her shops' cases only, since coverage and the
 * dashboard count every shop's orders (the hub refuses them: 403 `shop-limited`).
 */
export function disputeScreensFor(s: StaffSession): readonly DisputeScreen[] {
  if (s.user.role !== 'clerk' && s.user.role !== 'admin') return [];
  return s.user.shops.length ? ['cases'] : DISPUTE_SCREENS;
}
