import { parse } from './args';
import type { Command } from './commands';
import { asCliError, cliLang, cliT, required } from './cli-support';
import { withCore } from './open-core';
import { createApiToken, revokeApiToken } from '../core/api/api-tokens';

export const apiTokenCreateCommand: Command = {
  summary: 'Create a token for the order API (/api/v1/); printed once',
  usage: `Usage: proofpack api token create --data-dir DIR --name NAME [--json]

Prints the token once ({"token": …} with --json); only its SHA-256 is stored.
Send it as "Authorization: Bearer <token>" to /api/v1/.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    const name = required(values, 'name', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const db = core.ctx.db;
      const t = cliT(cliLang(core.ctx.settings.get().language));
      let out: { id: string; token: string };
      try {
        out = await createApiToken(db, name);
      } catch (e) {
        asCliError(e);
      }
      if (values.json) console.log(JSON.stringify({ token: out.token, name: name.trim() }));
      else console.log(`${t('cli.api.tokenCreated', { name })}\n${out.token}`);
      return 0;
    });
  },
};

export const apiTokenRevokeCommand: Command = {
  summary: 'Revoke an order API token by name',
  usage: `Usage: proofpack api token revoke --data-dir DIR --name NAME [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    const name = required(values, 'name', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const db = core.ctx.db;
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const revoked = await revokeApiToken(db, name);
      if (values.json) console.log(JSON.stringify({ name, revoked }));
      else console.log(t(revoked ? 'cli.api.tokenRevoked' : 'cli.api.noToken', { name }));
      return revoked ? 0 : 1;
    });
  },
};
