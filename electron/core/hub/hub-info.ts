import os from 'node:os';
import type { Db } from '../db/db';

/**
 * Where people reach this hub, for links it hands out (share links made from the CLI
 * point at the running hub). `PROOFPACK_HUB_PUBLIC_URL` wins (a hub behind a load balancer
 * or a name on the LAN); a hub listening on every address is named by the PC's first LAN
 * IPv4 address, which a phone on the same network can open.
 */
export function advertisedUrl(listening: string, host: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PROOFPACK_HUB_PUBLIC_URL?.trim();
  if (given) return given.endsWith('/') ? given : `${given}/`;
  if (host !== '0.0.0.0' && host !== '::') return listening;
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  const url = new URL(listening);
  url.hostname = lan?.address ?? '127.0.0.1';
  return url.toString();
}

export async function setHubInfo(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('hub_info')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function hubInfo(db: Db, key: string): Promise<string | null> {
  const row = await db.selectFrom('hub_info').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}
