import { UsageError } from './args';
import { commands } from './commands';

/**
 * `proofpack <command> …`: the same core services as the app, for scripts and nightly
 * jobs. Exit codes: 0 success, 1 the command ran but found a problem, 2 usage error.
 */
const USAGE = `Usage: proofpack <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
  .join('\n')}

Run 'proofpack <command> --help' for the options of one command.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  // two-word commands: `case create`, `audit verify`, `orders import`
  const two = `${name} ${rest[0] ?? ''}`;
  const command = commands[two] ?? commands[name];
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${USAGE}`);
    return 2;
  }
  const args = commands[two] ? rest.slice(1) : rest;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(args);
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
