import { describe, expect, it } from 'vitest';
import { contract, type CallName } from '../../shared/api/contract';
import { CALL_ACCESS, mayCall } from '../../shared/accounts/permissions';
import { ROLES, type Role } from '../../shared/accounts/roles';

const calls = Object.keys(contract) as CallName[];

describe('who may make each call on the hub (role × call)', () => {
  it('every contract call has a decided access level, and nothing else is listed', () => {
    expect(Object.keys(CALL_ACCESS).sort()).toEqual([...calls].sort());
  });

  // the whole matrix, one row per role: what each level lets through
  const allowed: Record<Role, (a: string) => boolean> = {
    admin: (a) => a !== 'station',
    clerk: (a) => a === 'viewer' || a === 'clerk',
    viewer: (a) => a === 'viewer',
    packer: () => false,
  };
  for (const role of ROLES)
    it(`${role}: exactly the calls of its level and below`, () => {
      for (const call of calls) expect([call, mayCall(role, call)]).toEqual([call, allowed[role](CALL_ACCESS[call])]);
    });

  it('spot checks a clerk and an admin would expect', () => {
    expect(mayCall('viewer', 'orders.search')).toBe(true);
    expect(mayCall('viewer', 'packets.export')).toBe(false);
    expect(mayCall('clerk', 'packets.export')).toBe(true);
    expect(mayCall('clerk', 'settings.update')).toBe(false);
    expect(mayCall('admin', 'hub.revokeStation')).toBe(true);
    // recording is a station's, for no role through the hub
    expect(ROLES.some((r) => mayCall(r, 'capture.start'))).toBe(false);
  });
});
