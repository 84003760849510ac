import { safeFileStem } from '../../../shared/domain/safe-name';
import type { HubEvidenceTable } from '../db/schema-hub';

/**
 * The parts of a verified file's place below the media root:
 * `<station>/<day captured>/<order>/<file>`, each made safe (order numbers may hold
 * `/ \ .. :` or emoji). The station part carries the start of the station id, so two
 * stations given one name never mix.
 */
export function mediaPathParts(row: HubEvidenceTable): { dir: string[]; name: string; altName: string } {
  const station = `${safeFileStem(row.station_name || 'station', 40)}-${row.station_id.slice(0, 8)}`;
  const day = /^\d{4}-\d{2}-\d{2}/.test(row.captured_at) ? row.captured_at.slice(0, 10) : 'undated';
  const name = safeFileStem(row.file_name, 120);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return {
    dir: [station, day, safeFileStem(row.order_no, 80)],
    name,
    altName: `${stem}-${row.evidence_id.slice(-8)}${ext}`,
  };
}

/**
 * A key under the store's root for a file the hub made itself (`.packets/<name>`,
 * `.hub-files/<evidence>/<name>`): each part made safe, so no key leaves the root.
 */
export function storeKeyParts(key: string): string[] {
  const parts = key.split('/').filter(Boolean);
  if (!parts.length) throw new Error('an empty store key');
  // a leading dot marks the hub's own folders; safeFileStem keeps each part a plain name
  return parts.map((p) => (p.startsWith('.') ? `.${safeFileStem(p.slice(1), 120)}` : safeFileStem(p, 160)));
}
