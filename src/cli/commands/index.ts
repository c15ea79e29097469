import type { Command } from 'commander';

/**
 * Every CLI command lives in its own module exporting `register(program)`. Add new commands to
 * this list, one line each.
 */
const commandModules: readonly (() => Promise<{ register(program: Command): void }>)[] = [];

export function registerCommands(program: Command): void {
  void program;
  void commandModules;
}
