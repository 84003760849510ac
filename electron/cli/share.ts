import { sharePath } from '../../shared/hub/share-links';
import { advertisedUrl, hubInfo } from '../core/hub/hub-info';
import { createShareLink, revokeShareLink, SHARE_DEFAULT_HOURS } from '../core/hub/share-links';
import { parse } from './args';
import type { Command } from './commands';
import { cliLang, cliT, positiveInt, required } from './cli-support';
import { reportingErrors } from './hub';
import { withCore } from './open-core';

export const shareCommand: Command = {
  summary: "Make a link to one order's evidence on the hub, for a platform agent, a buyer or a client",
  usage: `Usage: proofpack share [--data-dir DIR] [--db URL] --order NO [--hours N] [--download] [--json]

Prints the link (with --json: {"id", "url", "expiresAt"}). The link shows the order's
videos and photos from every station, with capture time, station and SHA-256; it works on
a phone and needs no account. It ends after --hours (default ${SHARE_DEFAULT_HOURS}, i.e. 7 days; at most 90
days) or when revoked ('proofpack share revoke --id ID'). --download lets the viewer
download the files; without it they can only watch. The link names the address the hub
last listened on (PROOFPACK_HUB_PUBLIC_URL, when set on the hub, names another).`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      order: { type: 'string' },
      hours: { type: 'string' },
      download: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const lang = cliLang();
    const orderNo = required(values, 'order', lang).trim();
    const hours = values.hours === undefined ? undefined : positiveInt(values.hours, '--hours', lang);
    return withCore(values['data-dir'], async (core) => {
      const l = cliLang(core.ctx.settings.get().language);
      return reportingErrors(l, async () => {
        const db = core.ctx.db;
        const made = await createShareLink(db, { orderNo, hours, download: !!values.download }, null);
        const base = (await hubInfo(db, 'public_url')) ?? advertisedUrl('http://0.0.0.0:4870/', '0.0.0.0');
        const url = new URL(sharePath(made.token).slice(1), base).toString();
        if (values.json) console.log(JSON.stringify({ id: made.id, url, expiresAt: made.expiresAt }));
        else console.log(cliT(l)('cli.share.made', { url, until: made.expiresAt, id: made.id }));
        return 0;
      });
    });
  },
};

export const shareRevokeCommand: Command = {
  summary: 'End a share link now',
  usage: `Usage: proofpack share revoke [--data-dir DIR] [--db URL] --id ID [--json]

The link's page then answers "this link has been revoked" (HTTP 410) and its files are refused.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    });
    const id = required(values, 'id', cliLang()).trim();
    return withCore(values['data-dir'], async (core) => {
      const l = cliLang(core.ctx.settings.get().language);
      return reportingErrors(l, async () => {
        const link = await revokeShareLink(core.ctx.db, id, null);
        if (values.json) console.log(JSON.stringify(link));
        else console.log(cliT(l)('cli.share.revoked', { id: link.id, order: link.orderNo }));
        return 0;
      });
    });
  },
};
