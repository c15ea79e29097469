import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';

const program = new Command('threatminer')
  .description('Proactive cyber threat intelligence from hacker forums: collect, store, analyse, serve.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof UserError) {
    process.stderr.write(`threatminer: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`threatminer: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
