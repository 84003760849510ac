import { isAppError } from '../../shared/api/result';
import { describeError } from '../../shared/i18n/describe-error';
import { createCore } from '../core/core';
import { resolveDataDir } from '../core/data-dir';
import type { HubStationInfo } from '../../shared/hub/protocol';
import { describeStation } from '../../shared/hub/station-text';
import { createPairingCode, listHubStations, revokeHubStation } from '../core/hub/hub-stations';
import { activeHubFingerprint, forgetHubFingerprint, loadHubTls } from '../core/hub/hub-tls';
import { joinHub } from '../core/hub/join-hub';
import { startHubServer } from '../web/hub-server';
import { newSetupToken } from '../core/accounts/first-admin';
import { hubInfo } from '../core/hub/hub-info';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { dbOptionGiven, withCore } from './open-core';

/** An AppError in the user's language on stderr, exit 1 (the command ran and was refused). */
export async function reportingErrors(lang: ReturnType<typeof cliLang>, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'INVALID_INPUT') throw new UsageError(describeError(cliT(lang), e));
    console.error(`proofpack: ${describeError(cliT(lang), e)}`);
    return 1;
  }
}

export const hubCommand: Command = {
  summary: 'Run the warehouse hub that stations pair with and sync to',
  usage: `Usage: proofpack hub [--data-dir DIR] [--db URL] [--media DIR|s3://BUCKET/PREFIX] [--host H] [--port N]
                     [--https | --cert FILE --key FILE]

Starts the hub and prints "ProofPack hub listening on http://H:PORT/". Stations pair with
a code from 'proofpack hub pair'. --https serves HTTPS with a certificate the hub makes at
its first start (kept in the data folder's hub-tls); stations pin it when they pair (its
fingerprint is printed, and shown by 'hub pair'). --cert/--key serve your own certificate. Defaults: SQLite in the data folder, media in its
hub-media folder (--media DIR may be a mounted NAS share; s3://BUCKET/PREFIX uses any
S3-compatible store set by AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION, and PROOFPACK_S3_FORCE_PATH_STYLE=1 for path-style stores), host 0.0.0.0
(the LAN), port 4870. Stop it with Ctrl+C.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      media: { type: 'string' },
      https: { type: 'boolean' },
      cert: { type: 'string' },
      key: { type: 'string' },
    });
    const media = values.media;
    if (!values.cert !== !values.key) throw new UsageError(cliT(cliLang())('cli.hub.certAndKey'));
    if (media !== undefined && (!media.trim() || (/^[a-z][a-z0-9+.-]+:\/\//i.test(media) && !/^s3:\/\//i.test(media))))
      throw new UsageError(cliT(cliLang())('cli.hub.badMedia', { media }));
    const port = Number(values.port ?? 4870);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(cliT(cliLang())('cli.hub.badPort', { port: values.port ?? '' }));
    const host = values.host ?? '0.0.0.0';
    const core = await createCore({ dataDir: resolveDataDir(values['data-dir']), mode: 'cli', db: dbOptionGiven() });
    try {
      // a media store that cannot be used is said in words, before anything listens
      return await reportingErrors(cliLang(core.ctx.settings.get().language), async () => {
        const dataDir = core.ctx.paths.root;
        const given = values.cert && values.key ? { cert: values.cert, key: values.key } : undefined;
        const tls = given || values.https ? await loadHubTls(dataDir, given) : undefined;
        if (!tls) forgetHubFingerprint(dataDir);
        const server = await startHubServer({ core, host, port, media, tls });
        console.log(`ProofPack hub listening on ${server.url}`);
        const t = cliT(cliLang(core.ctx.settings.get().language));
        if (tls) console.log(t('cli.hub.fingerprint', { fingerprint: tls.fingerprint }));
        // no admin yet: a one-time link makes the first one in a browser (gone once one exists);
        // on stderr, so stdout stays the one "listening" line scripts read
        const setup = await newSetupToken(core.ctx.db);
        if (setup) {
          const base = (await hubInfo(core.ctx.db, 'public_url')) ?? server.url;
          console.error(t('cli.hub.setupLink', { url: `${base}#setup=${setup.token}`, until: setup.expiresAt }));
        }
        // `on`, not `once`: Ctrl+C reaches this process both from the terminal and relayed by
        // the npx wrapper, and a second signal must not cut the orderly close short
        await new Promise<void>((resolve) => {
          for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => resolve());
        });
        await server.close();
        return 0;
      });
    } finally {
      await core.close();
    }
  },
};

export const hubPairCommand: Command = {
  summary: 'Make a one-time code (10 min) that pairs a station with this hub',
  usage: `Usage: proofpack hub pair [--data-dir DIR] [--db URL] --station NAME [--json]

Prints the code ({"code": …, "expiresAt": …} with --json). At the station:
  proofpack join http://HUB:4870/ --code CODE --data-dir DIR`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      station: { type: 'string' },
      json: { type: 'boolean' },
    });
    const station = required(values, 'station', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      return reportingErrors(lang, async () => {
        const code = await createPairingCode(core.ctx.db, station);
        // an HTTPS hub: the station compares (or is given) the certificate's fingerprint
        const fingerprint = activeHubFingerprint(core.ctx.paths.root);
        const out = fingerprint ? { ...code, fingerprint } : code;
        if (values.json) console.log(JSON.stringify(out));
        else {
          console.log(cliT(lang)('cli.hub.code', { station: station.trim(), ...out }));
          if (fingerprint) console.log(cliT(lang)('cli.hub.fingerprint', { fingerprint }));
        }
        return 0;
      });
    });
  },
};

export const hubStationsCommand: Command = {
  summary: 'List the stations paired with this hub',
  usage: `Usage: proofpack hub stations [--data-dir DIR] [--db URL] [--json]`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const stations = await listHubStations(core.ctx.db);
      if (values.json) console.log(JSON.stringify({ stations }));
      else if (!stations.length) console.log(t('cli.hub.noStations'));
      else for (const s of stations) console.log(stationLine(t, s));
      return 0;
    });
  },
};

/** One station, tab-separated: name, online or revoked, its last report, clock warning, error, id. */
function stationLine(t: ReturnType<typeof cliT>, s: HubStationInfo): string {
  const d = describeStation(t, s, { time: (iso) => iso, mb: (bytes) => (bytes / 1024 ** 2).toFixed(1) });
  return [s.name, d.seen, d.report, d.clockOff && `⚠ ${d.clockOff}`, d.error, s.id].filter(Boolean).join('\t');
}

export const hubRevokeCommand: Command = {
  summary: "Revoke a station's credential: it can no longer send to the hub",
  usage: `Usage: proofpack hub revoke [--data-dir DIR] [--db URL] --station NAME [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      station: { type: 'string' },
      json: { type: 'boolean' },
    });
    const station = required(values, 'station', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      return reportingErrors(lang, async () => {
        const revoked = await revokeHubStation(core.ctx.db, station);
        if (values.json) console.log(JSON.stringify({ station: station.trim(), revoked }));
        else console.log(cliT(lang)(revoked ? 'cli.hub.stationRevoked' : 'cli.hub.noSuchStation', { station }));
        return revoked ? 0 : 1;
      });
    });
  },
};

export const joinCommand: Command = {
  summary: "Pair this station's data folder with a warehouse hub",
  usage: `Usage: proofpack join HUB_URL --code CODE [--fingerprint SHA256] [--data-dir DIR] [--db URL] [--json]

HUB_URL is what 'proofpack hub' printed (http://HOST:PORT/); CODE comes from
'proofpack hub pair' or the hub's screen and works once, for 10 minutes. An https://
hub with its own certificate is pinned: from then on this station talks only to that
certificate. --fingerprint (shown by 'hub pair') refuses any other certificate now.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      'data-dir': { type: 'string' },
      code: { type: 'string' },
      fingerprint: { type: 'string' },
      json: { type: 'boolean' },
    });
    const hubUrl = positionals[0];
    if (!hubUrl || positionals.length > 1) throw new UsageError(this.usage);
    const code = required(values, 'code', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      return reportingErrors(lang, async () => {
        const link = await joinHub(core.ctx.db, { hubUrl, code, fingerprint: values.fingerprint });
        if (values.json) console.log(JSON.stringify(link));
        else {
          console.log(cliT(lang)('cli.hub.joined', { ...link }));
          if (link.fingerprint) console.log(cliT(lang)('cli.hub.pinned', { fingerprint: link.fingerprint }));
        }
        return 0;
      });
    });
  },
};
