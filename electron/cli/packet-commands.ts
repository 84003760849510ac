import fs from 'node:fs';
import path from 'node:path';
import type { VerifyReport } from '../../shared/domain/cases';
import type { Lang } from '../../shared/i18n';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { verifyStationChains } from '../core/hub/station-audit';
import { dbOptionGiven, withCore } from './open-core';
import { CaseService } from '../core/cases/case-service';
import { PacketService } from '../core/packets/packet-service';
import { verifyPacket } from '../core/packets/verify';
import { openDatabase } from '../core/db/connection';
import { resolveDbTarget } from '../core/db/target';
import { STATION_ID_FILE, stationIdFor } from '../core/db/station-id';
import { dataPaths } from '../core/context';
import { resolveDataDir } from '../core/data-dir';
import { verifyAuditWithAnchor } from '../core/audit/audit-anchor';

export const exportCommand: Command = {
  summary: 'Export a case as an appeal packet (folder, and zip with --zip)',
  usage: `Usage: proofpack export --data-dir DIR --case ID --out DIR [--zip] [--allow-incomplete] [--json]

Writes the packet folder (compliant media named for the clerk, manifest.json with the
SHA-256 of every file, the summary PDF and the statement) into --out, and with --zip a
zip of the same files beside it. Exporting the same case again with the same evidence
changes nothing. Exit 0 on success, 1 when the packet cannot be made (evidence missing
or failing: the message says which), 2 on a usage error.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      case: { type: 'string' },
      out: { type: 'string' },
      zip: { type: 'boolean' },
      'allow-incomplete': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const caseId = required(values, 'case', lang0).trim();
    const out = path.resolve(required(values, 'out', lang0));
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
      throw new UsageError(cliT(lang0)('cli.export.outNotDir', { path: out }));
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      const t = cliT(lang);
      const packets = new PacketService(core.ctx, new CaseService(core.ctx));
      const abort = new AbortController();
      const onSig = () => abort.abort();
      process.once('SIGINT', onSig);
      let last = -1;
      try {
        const r = await packets.exportOne(
          caseId,
          { outDir: out, zip: values.zip ?? false, allowIncomplete: values['allow-incomplete'] ?? false, lang },
          {
            signal: abort.signal,
            progress: (ratio) => {
              const pct = ratio == null ? null : Math.floor(ratio * 100);
              if (!values.json && process.stderr.isTTY && pct != null && pct !== last) {
                last = pct;
                process.stderr.write(`\r${t('cli.export.progress', { pct })}`);
              }
            },
          },
        );
        if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
        const json = {
          packet: {
            id: r.packet.id,
            name: r.packet.name,
            path: r.packet.dir,
            zip: r.packet.zip,
            fileCount: r.files.length,
            totalBytes: r.packet.totalBytes,
          },
          files: r.files.map((f) => ({ ...f, path: path.join(r.packet.dir, f.name) })),
          unchanged: r.unchanged,
          problems: r.problems,
          fixed: r.fixed,
        };
        if (values.json) console.log(JSON.stringify(json, null, 2));
        else {
          console.log(t(r.unchanged ? 'cli.export.unchanged' : 'cli.export.done', { path: r.packet.dir }));
          if (r.packet.zip) console.log(`  ${r.packet.zip}`);
          for (const f of r.files) console.log(`  ${f.name}  ${f.sha256.slice(0, 16)}  ${f.bytes} B`);
          for (const p of r.problems)
            console.log(
              `  ! ${t(`packet.problem.${p.reason}`, { id: p.evidenceId, requirement: t(`requirement.${p.requirement}`) })}`,
            );
        }
        return 0;
      } finally {
        process.off('SIGINT', onSig);
      }
    });
  },
};

export function printVerify(r: VerifyReport, lang: Lang): void {
  const t = cliT(lang);
  if (r.ok) {
    console.log(`${r.path}\n  ${t('verify.ok', { count: r.checked })}`);
    return;
  }
  console.log(`${r.path}\n  ${t('verify.failed')}`);
  if (r.manifestError) console.log(`  ${t('verify.manifest')}: ${r.manifestError}`);
  if (r.missing.length) console.log(`  ${t('verify.missing')}:\n${r.missing.map((n) => `    - ${n}`).join('\n')}`);
  if (r.extra.length) console.log(`  ${t('verify.extra')}:\n${r.extra.map((n) => `    + ${n}`).join('\n')}`);
  if (r.changed.length)
    console.log(
      `  ${t('verify.changed')}:\n${r.changed.map((c) => `    * ${c.name} (${c.expectedBytes} B → ${c.actualBytes} B)`).join('\n')}`,
    );
}

export const verifyCommand: Command = {
  summary: 'Verify a packet folder or zip against its manifest',
  usage: `Usage: proofpack verify PATH... [--json]

Re-hashes every file of each packet (folder or zip) against its manifest.json and lists
missing, extra and changed files. Exit 0 only when everything matches; 1 otherwise.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const lang = cliLang();
    if (positionals.length === 0) throw new UsageError(cliT(lang)('cli.verify.noPath'));
    const reports: VerifyReport[] = [];
    for (const p of positionals) reports.push(await verifyPacket(p));
    if (values.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
    else for (const r of reports) printVerify(r, lang);
    return reports.every((r) => r.ok) ? 0 : 1;
  },
};

export const auditVerifyCommand: Command = {
  summary: 'Check that no audit-log entry was edited or deleted',
  usage: `Usage: proofpack audit verify --data-dir DIR [--db URL] [--json]

Walks the hash chain of the audit log (each entry's hash covers the one before) and
checks the anchor file that remembers the last entry. Exit 0 when intact, 1 when an
entry was edited or deleted, 2 on a usage error.`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const dir = resolveDataDir(values['data-dir']);
    const paths = dataPaths(dir);
    const lang = cliLang();
    const t = cliT(lang);
    // a folder no station ever used has no database to verify (and none is made for it)
    const used = [paths.db, path.join(dir, STATION_ID_FILE)].some((f) => fs.existsSync(f));
    const dbFlag = dbOptionGiven();
    if (!used && !dbFlag && !process.env.PROOFPACK_DB) throw new UsageError(t('cli.audit.noDb', { path: paths.db }));
    const target = await resolveDbTarget({ dataDir: dir, db: dbFlag });
    if (target.engine === 'sqlite' && !fs.existsSync(target.file))
      throw new UsageError(t('cli.audit.noDb', { path: target.file }));
    const db = await openDatabase(target, { stationId: stationIdFor(dir) });
    try {
      const own = await verifyAuditWithAnchor(dir, db);
      // on a hub: each paired station's chain as it arrived, besides the hub's own
      const stations = await verifyStationChains(db);
      const ok = own.ok && stations.every((s) => s.ok);
      if (values.json) console.log(JSON.stringify({ ...own, ok, ownOk: own.ok, stations }, null, 2));
      else {
        if (own.ok)
          console.log(
            t('cli.audit.ok', { count: own.entries }) + (own.anchor === 'absent' ? `\n${t('cli.audit.noAnchor')}` : ''),
          );
        else
          console.log(t('cli.audit.broken', { id: own.brokenAt ?? '?', reason: t(`cli.audit.reason.${own.reason}`) }));
        for (const s of stations)
          console.log(
            s.ok
              ? t('cli.audit.stationOk', { station: s.stationName, count: s.entries })
              : t('cli.audit.stationBroken', {
                  station: s.stationName,
                  id: s.brokenAt ?? '?',
                  reason: t(`cli.audit.reason.${s.reason}`),
                }),
          );
      }
      return ok ? 0 : 1;
    } finally {
      await db.destroy();
    }
  },
};
