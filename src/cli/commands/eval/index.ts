import type { Command } from 'commander';
import * as iocsTask from './iocs.js';
import * as actorsTask from './actors.js';
import * as exploitsTask from './exploits.js';

/**
 * `threatminer eval <task>`: evaluation commands, one module per task (iocs, exploits, …), each
 * exporting `register(evalCommand)`. Add new tasks to this list, one line each.
 */
interface EvalTaskModule {
  register(evalCommand: Command): void;
}

const evalTasks: readonly EvalTaskModule[] = [
  iocsTask,
  actorsTask,
  exploitsTask,
];

export function register(program: Command): void {
  const evalCommand = program
    .command('eval')
    .description('Evaluate an analyser against labelled data and print metrics (last line: JSON summary)');
  for (const task of evalTasks) task.register(evalCommand);
}
