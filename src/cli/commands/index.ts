import type { Command } from 'commander';
import * as evalGroup from './eval/index.js';
import * as extractCommand from './extract.js';
import * as simulate from './simulate.js';

/**
 * Every CLI command lives in its own module exporting `register(program)`. Add new commands to
 * this list, one line each.
 */
interface CommandModule {
  register(program: Command): void;
}

const commandModules: readonly CommandModule[] = [
  evalGroup,
  extractCommand,
  simulate,
];

export function registerCommands(program: Command): void {
  for (const module of commandModules) module.register(program);
}
