import type { StaffSession } from './staff-client';

/** The station's dispute screens the staff app offers (DisputesPage), each at its own hash route. */
export type DisputeScreen = 'cases' | 'coverage' | 'dashboard';
export const DISPUTE_SCREENS: readonly DisputeScreen[] = ['cases', 'coverage', 'dashboard'];

export const isDisputeScreen = (s: string): s is DisputeScreen => (DISPUTE_SCREENS as readonly string[]).includes(s);

/**
 * The dispute screens this person is offered: clerks and admins get all three. One limited
 * to some shops (a 3PL's client) gets them too, over her shops' orders only (the hub
 * narrows every list and count; web/staff-call-shops.ts).
 */
export function disputeScreensFor(s: StaffSession): readonly DisputeScreen[] {
  return s.user.role === 'clerk' || s.user.role === 'admin' ? DISPUTE_SCREENS : [];
}
