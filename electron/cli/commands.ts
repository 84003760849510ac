import { listCommand } from './list';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** One entry per command; multi-word commands are keyed "case create". */
export const commands: Record<string, Command> = {
  list: listCommand,
};
