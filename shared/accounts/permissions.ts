import type { CallName } from '../api/contract';
import type { Role } from './roles';

/**
 * Who may make each contract call through the hub's staff API (issue 12). Typed as a
 * record of every call, so a new call does not compile until someone decides who may use it.
 * - viewer / clerk / admin: the least role allowed (admin ⊇ clerk ⊇ viewer);
 * - station: the packing station's own devices and recording — never served to browsers
 *   on the hub (a packer records at a station, not through the hub).
 */
export type Access = 'viewer' | 'clerk' | 'admin' | 'station';

export const CALL_ACCESS: Record<CallName, Access> = {
  'app.info': 'viewer',
  // recording and the station's own devices
  'capture.activity': 'station',
  'capture.chunk': 'station',
  'capture.item': 'station',
  'capture.link': 'station',
  'capture.mark': 'station',
  'capture.missingItems': 'viewer',
  'capture.photo': 'station',
  'capture.start': 'station',
  'capture.stop': 'station',
  'cameras.add': 'station',
  'cameras.discover': 'station',
  'cameras.list': 'station',
  'cameras.parts': 'viewer',
  'cameras.remove': 'station',
  'cameras.setIdleStop': 'station',
  'cameras.snapshot': 'station',
  'cameras.test': 'station',
  'scale.orderWeights': 'viewer',
  'scale.ports': 'station',
  'scale.state': 'station',
  'hub.join': 'station',
  'hub.link': 'station',
  'hub.syncNow': 'station',
  'hub.syncStatus': 'station',
  'storage.move': 'station',
  // search and playback
  'orders.search': 'viewer',
  'orders.get': 'viewer',
  'orders.unlinked': 'viewer',
  'evidence.recent': 'viewer',
  'checks.forEvidence': 'viewer',
  'checks.forOrder': 'viewer',
  'serials.forOrder': 'viewer',
  'settings.get': 'viewer',
  'jobs.list': 'viewer',
  // disputes: cases, packets, import, coverage, dashboard
  'cases.create': 'clerk',
  'cases.forOrder': 'clerk',
  'cases.get': 'clerk',
  'cases.link': 'clerk',
  'cases.list': 'clerk',
  'cases.setStatus': 'clerk',
  'cases.settings.get': 'clerk',
  'cases.unlink': 'clerk',
  'cases.update': 'clerk',
  'packets.export': 'clerk',
  'packets.list': 'clerk',
  'packets.verify': 'clerk',
  'orders.import.deleteMapping': 'clerk',
  'orders.import.inspect': 'clerk',
  'orders.import.mappings': 'clerk',
  'orders.import.preview': 'clerk',
  'orders.import.start': 'clerk',
  'orders.import.upload': 'clerk',
  'orders.confirmInterception': 'clerk',
  'orders.flags': 'clerk',
  'orders.flags.clear': 'clerk',
  'orders.link': 'clerk',
  'coverage.exportCsv': 'clerk',
  'coverage.lookup': 'clerk',
  'coverage.report': 'clerk',
  'dashboard.report': 'clerk',
  'checks.reevaluate': 'clerk',
  'checks.run': 'clerk',
  'fixes.start': 'clerk',
  'evidence.import': 'clerk',
  'files.upload': 'clerk',
  'serials.openCase': 'clerk',
  'serials.scan': 'station',
  'jobs.cancel': 'clerk',
  'jobs.retry': 'clerk',
  // the hub itself: settings, rules, storage, stations, integrations
  'settings.update': 'admin',
  'cases.settings.update': 'admin',
  'profiles.delete': 'admin',
  'profiles.get': 'viewer',
  'profiles.list': 'viewer',
  'profiles.save': 'admin',
  'storage.retentionPreview': 'admin',
  'storage.retentionRun': 'admin',
  'storage.status': 'admin',
  'webhooks.list': 'admin',
  'webhooks.retry': 'admin',
  'hub.checkStore': 'admin',
  'hub.hostStatus': 'admin',
  'hub.managedGroups': 'admin',
  'hub.pairCode': 'admin',
  'hub.renameStation': 'admin',
  'hub.revokeStation': 'admin',
  'hub.setManagedGroups': 'admin',
  'hub.stations': 'admin',
};

const RANK: Record<Role, number> = { packer: 0, viewer: 1, clerk: 2, admin: 3 };
const NEEDED: Record<Exclude<Access, 'station'>, number> = { viewer: 1, clerk: 2, admin: 3 };

/** May a signed-in user with this role make this call on the hub? */
export function mayCall(role: Role, call: CallName): boolean {
  const access = CALL_ACCESS[call];
  return access !== 'station' && RANK[role] >= NEEDED[access];
}
