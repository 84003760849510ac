import type { Db } from '../../db/db';
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

export async function getMapping(db: Db, name: string): Promise<ImportMappingRecord | null> {
  const r = await db.selectFrom('import_mappings').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listMappings(db: Db): Promise<ImportMappingRecord[]> {
  return (await db.selectFrom('import_mappings').selectAll().orderBy('updated_at', 'desc').execute()).map(toRecord);
}

export async function saveMapping(
  db: Db,
  name: string,
  mapping: ColumnMapping,
  options: ImportOptions,
  now = new Date(),
): Promise<ImportMappingRecord> {
  const at = now.toISOString();
  await db
    .insertInto('import_mappings')
    .values({
      name,
      mapping: JSON.stringify(cleanMapping(mapping)),
      options: JSON.stringify(options),
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        mapping: eb.ref('excluded.mapping'),
        options: eb.ref('excluded.options'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return (await getMapping(db, name))!;
}

export async function deleteMapping(db: Db, name: string): Promise<boolean> {
  const r = await db.deleteFrom('import_mappings').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
