import { describe, expect, it } from 'vitest';
import { CALL_ACCESS, mayCall } from '../../shared/accounts/permissions';
import type { Role } from '../../shared/accounts/roles';
import type { CallName } from '../../shared/api/contract';
import { addUser } from '../../electron/core/accounts/users';
import { SHOP_LIMITED_CALLS } from '../../electron/web/staff-call-shops';
import { useHubCores } from '../helpers/hub-cores';
import { staffFetch } from '../helpers/staff-session';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const { core, serve } = useHubCores(tmp);
const T0 = new Date('2026-12-04T08:00:00.000Z');
const PW = 'correct horse battery';
/** what the gate says when it refuses; a call it lets through may still refuse its input (400) */
const GATE = ['signed-out', 'csrf', 'role-forbidden', 'station-only', 'shop-limited'];

type Who = { name: string; role: Role | null; shops?: string[] };
const PEOPLE: Who[] = [
  { name: 'nobody', role: null },
  { name: 'packer', role: 'packer' },
  { name: 'viewer', role: 'viewer' },
  { name: 'clerk', role: 'clerk' },
  { name: 'admin', role: 'admin' },
  { name: 'clerkA', role: 'clerk', shops: ['A店'] },
];

/** the refusal the gate owes this person for this call; null: let through */
function expected(who: Who, call: CallName): [number, string] | null {
  if (!who.role) return [401, 'signed-out'];
  if (CALL_ACCESS[call] === 'station') return [403, 'station-only'];
  if (!mayCall(who.role, call)) return [403, 'role-forbidden'];
  // a shop-limited user keeps the calls on one order, case, file or packet (staff-call-shops.ts)
  if (who.shops?.length && !SHOP_LIMITED_CALLS[call]) return [403, 'shop-limited'];
  return null;
}

describe(`every contract call through /staff/v1/call × every kind of user (${testEngine})`, () => {
  it('is allowed, or refused with 401/403 and the reason, exactly as permissions.ts says', async () => {
    const hub = await core();
    const server = await serve({ core: hub, clock: () => T0 });
    const base = server.url.replace(/\/$/, '');
    const fetchers = new Map<string, (p: string, init?: RequestInit) => Promise<Response>>();
    for (const who of PEOPLE) {
      if (!who.role) {
        fetchers.set(who.name, (p, init) => fetch(`${base}${p}`, init));
        continue;
      }
      await addUser(hub.ctx.db, { name: who.name, role: who.role, shops: who.shops, password: PW }, 'test', T0);
      fetchers.set(who.name, await staffFetch(base, who.name, PW));
    }
    const wrong: string[] = [];
    let cases = 0;
    // harmless inputs: most calls refuse `{}` as input (400) once the gate lets them through
    for (const call of Object.keys(CALL_ACCESS).sort() as CallName[])
      for (const who of PEOPLE) {
        const r = await fetchers.get(who.name)!(`/staff/v1/call/${encodeURIComponent(call)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const body = (await r.json().catch(() => null)) as { error?: { details?: { problem?: string } } } | null;
        const problem = body?.error?.details?.problem ?? null;
        const want = expected(who, call);
        const ok = want
          ? r.status === want[0] && problem === want[1]
          : ![401, 403].includes(r.status) && ![...GATE, 'no-such-call', 'no-such-route'].includes(problem ?? '');
        if (!ok) wrong.push(`${call} as ${who.name}: ${r.status} ${problem} (expected ${want ?? 'through'})`);
        cases++;
      }
    expect(wrong).toEqual([]);
    expect(cases).toBe(Object.keys(CALL_ACCESS).length * PEOPLE.length);
  });
});
