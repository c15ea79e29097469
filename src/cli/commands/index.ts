import type { Command } from 'commander';
import * as actorsCommand from './actors.js';
import * as analyzeCommand from './analyze.js';
import * as demoCommand from './demo.js';
import * as evalGroup from './eval/index.js';
import * as importCommand from './import.js';
import * as keysCommand from './keys.js';
import * as searchCommand from './search.js';
import * as serveCommand from './serve.js';
import * as statsCommand from './stats.js';
import * as extractCommand from './extract.js';
import * as crawl from './crawl.js';
import * as simulate from './simulate.js';
import * as exploitsCommand from './exploits.js';
import * as mlCommand from './ml.js';

/**
 * Every CLI command lives in its own module exporting `register(program)`. Add new commands to
 * this list, one line each.
 */
interface CommandModule {
  register(program: Command): void;
}

const commandModules: readonly CommandModule[] = [
  importCommand,
  searchCommand,
  analyzeCommand,
  actorsCommand,
  statsCommand,
  serveCommand,
  keysCommand,
  demoCommand,
  evalGroup,
  extractCommand,
  crawl,
  simulate,
  exploitsCommand,
  mlCommand,
];

export function registerCommands(program: Command): void {
  for (const module of commandModules) module.register(program);
}
