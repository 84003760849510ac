import type { HubUser } from '../../shared/accounts/roles';
import { addUser, listUsers } from '../core/accounts/users';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { reportingErrors } from './hub';
import { withCore } from './open-core';

/** The password from standard input (a pipe or a prompt's redirect): one trailing newline is not part of it. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(cliT(cliLang())('cli.users.stdinIsTty'));
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk as string;
    if (text.length > 4096) break;
  }
  return text.replace(/\r?\n$/, '');
}

export const usersAddCommand: Command = {
  summary: 'Add a staff account on the hub (admin, clerk, packer or viewer)',
  usage: `Usage: proofpack users add [--data-dir DIR] [--db URL] --name NAME --role admin|clerk|packer|viewer
                         [--shop SHOP]... --password-stdin [--json]

The password is read from standard input (never from the command line, where other users
of the PC could see it), e.g.  printf '%s' "$PASSWORD" | proofpack users add … --password-stdin
--shop limits the user to that shop's orders (repeat it for several); without it the user
sees every shop.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      shop: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const lang = cliLang();
    const name = required(values, 'name', lang);
    const role = required(values, 'role', lang);
    if (!values['password-stdin']) throw new UsageError(cliT(lang)('cli.opt.missing', { option: '--password-stdin' }));
    const password = await readPassword();
    return withCore(values['data-dir'], async (core) => {
      const l = cliLang(core.ctx.settings.get().language);
      return reportingErrors(l, async () => {
        const user = await addUser(core.ctx.db, { name, role, shops: values.shop ?? [], password }, 'cli');
        if (values.json) console.log(JSON.stringify(user));
        else console.log(cliT(l)('cli.users.added', { line: userLine(cliT(l), user) }));
        return 0;
      });
    });
  },
};

export const usersListCommand: Command = {
  summary: "List the hub's staff accounts",
  usage: `Usage: proofpack users list [--data-dir DIR] [--db URL] [--json]`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const users = await listUsers(core.ctx.db);
      if (values.json) console.log(JSON.stringify({ users }));
      else if (!users.length) console.log(t('cli.users.none'));
      else for (const u of users) console.log(userLine(t, u));
      return 0;
    });
  },
};

/** One user, tab-separated: name, role, shops (or "all shops"), disabled. */
function userLine(t: ReturnType<typeof cliT>, u: HubUser): string {
  return [
    u.name,
    t(`role.${u.role}`),
    u.shops.length ? u.shops.join(', ') : t('cli.users.allShops'),
    u.disabled && t('cli.users.disabled'),
  ]
    .filter(Boolean)
    .join('\t');
}
