import { isAppError } from '../../shared/api/result';
import { describeError } from '../../shared/i18n/describe-error';
import { parseDbTarget } from '../core/db/target';
import { UsageError } from './args';
import { cliLang, cliT } from './cli-support';
import { commands } from './commands';
import { takeDbOption, useDbOption } from './open-core';

/**
 * `proofpack <command> …`: the same core services as the app, for scripts and nightly
 * jobs. Exit codes: 0 success, 1 the command ran but found a problem, 2 usage error.
 */
const GLOBAL_OPTIONS = `Every command also takes:
  --db URL         the database to use: postgres://user:password@host:5432/name, or a SQLite
                   file path (also sqlite:PATH, file:///PATH). Default: PROOFPACK_DB, else
                   proofpack.db in the data folder.`;

const USAGE = `Usage: proofpack <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)
  .join('\n')}

${GLOBAL_OPTIONS}

Run 'proofpack <command> --help' for the options of one command.`;

/** commands that name their databases themselves */
const NO_DB_OPTION = new Set(['db copy']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  // multi-word commands: `case create`, `audit verify`, `db copy`, `api token create` …
  const three = `${name} ${rest[0] ?? ''} ${rest[1] ?? ''}`;
  const two = `${name} ${rest[0] ?? ''}`;
  const commandName = commands[three] ? three : commands[two] ? two : name;
  const command = commands[commandName];
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${USAGE}`);
    return 2;
  }
  const args = rest.slice(commandName.split(' ').length - 1);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(NO_DB_OPTION.has(commandName) ? command.usage : `${command.usage}\n\n${GLOBAL_OPTIONS}`);
    return 0;
  }
  const { db, rest: own } = takeDbOptionOrUsage(args);
  if (db !== undefined) {
    const t = cliT(cliLang());
    if (NO_DB_OPTION.has(commandName)) throw new UsageError(t('cli.db.notHere', { command: commandName }));
    try {
      parseDbTarget(db);
    } catch (e) {
      throw new UsageError(t('cli.db.badOption', { reason: isAppError(e) ? describeError(t, e) : String(e) }));
    }
    useDbOption(db);
  }
  return command.run(own);
}

function takeDbOptionOrUsage(args: string[]) {
  try {
    return takeDbOption(args);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      console.error(`proofpack: ${e.message}`);
      process.exit(2);
    }
    console.error(`proofpack: ${(e as Error).message ?? e}`);
    process.exit(1);
  },
);
