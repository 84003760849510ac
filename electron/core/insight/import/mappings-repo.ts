import type { DB } from '../../db/connection';
import { IMPORT_FIELDS, type ColumnMapping } from '../../../../shared/domain/insight/import-fields';
import type { ImportMappingRecord, ImportOptions } from '../../../../shared/domain/insight/types';

/** Column mappings remembered per source name ("拼多多后台", "聚水潭 ERP" …). */
export const DEFAULT_OPTIONS: ImportOptions = { encoding: null, delimiter: null, headerRow: null, sheet: null };

interface Row {
  name: string;
  mapping: string;
  options: string;
  updated_at: string;
}

function cleanMapping(m: ColumnMapping): ColumnMapping {
  const out: ColumnMapping = {};
  for (const f of IMPORT_FIELDS) if (typeof m[f] === 'string') out[f] = m[f];
  return out;
}

const toRecord = (r: Row): ImportMappingRecord => ({
  name: r.name,
  mapping: cleanMapping(JSON.parse(r.mapping) as ColumnMapping),
  options: { ...DEFAULT_OPTIONS, ...(JSON.parse(r.options) as Partial<ImportOptions>) },
  updatedAt: r.updated_at,
});

export function getMapping(db: DB, name: string): ImportMappingRecord | null {
  const r = db.prepare('SELECT * FROM import_mappings WHERE name = ?').get(name) as Row | undefined;
  return r ? toRecord(r) : null;
}

export function listMappings(db: DB): ImportMappingRecord[] {
  return (db.prepare('SELECT * FROM import_mappings ORDER BY updated_at DESC').all() as Row[]).map(toRecord);
}

export function saveMapping(
  db: DB,
  name: string,
  mapping: ColumnMapping,
  options: ImportOptions,
  now = new Date(),
): ImportMappingRecord {
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO import_mappings (name, mapping, options, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET mapping = excluded.mapping, options = excluded.options, updated_at = excluded.updated_at`,
  ).run(name, JSON.stringify(cleanMapping(mapping)), JSON.stringify(options), at, at);
  return getMapping(db, name)!;
}

export function deleteMapping(db: DB, name: string): boolean {
  return db.prepare('DELETE FROM import_mappings WHERE name = ?').run(name).changes > 0;
}
