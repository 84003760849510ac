import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The shops the current contract call is limited to (issue 12: a 3PL client's clerk). The
 * hub's staff route runs a limited user's call inside `runInShopScope`; the few queries
 * that list or count across orders (cases, coverage, the dashboard) read it, so the contract and the station's
 * screens stay as they are. Calls on one order, case, file or packet are checked before
 * they run (web/staff-call-shops.ts); a station never sets a scope.
 */
const scope = new AsyncLocalStorage<readonly string[]>();

export function runInShopScope<T>(shops: readonly string[], fn: () => T): T {
  return scope.run(shops, fn);
}

/** the shops the running call may see; null: every shop */
export function currentShopScope(): readonly string[] | null {
  return scope.getStore() ?? null;
}
