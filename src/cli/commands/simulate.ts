import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { HOSTILE_MODES, parseHostileList, SIZES, startSimulator } from '../../collect/simulator/index.js';

/** `threatminer simulate`: serve the simulated hacker forums on loopback until interrupted. */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('Serve simulated hacker forums (XenForo, MyBB, phpBB, vBulletin, Discourse) on 127.0.0.1 and write their ground truth')
    .option('--port <n>', 'HTTP port (0 = any free port)', '8080')
    .option('--seed <n>', 'seed of the generated community', '1')
    .option('--size <size>', `forum size: ${Object.keys(SIZES).join(', ')}`, 'small')
    .option('--forums <list>', 'comma-separated slugs or engines to serve (default: all five)')
    .option('--hostile <modes>', `comma-separated hostile modes or "all": ${HOSTILE_MODES.join(', ')}`, '')
    .option('--socks [port]', 'also serve the forums as .onion sites through a local SOCKS5 proxy')
    .option('--session-max-requests <n>', 'expire login sessions after this many requests')
    .option('--out <file>', 'where to write the ground truth JSON', 'ground-truth.json')
    .action(async (opts: { port: string; seed: string; size: string; forums?: string; hostile: string; socks?: string | boolean; sessionMaxRequests?: string; out: string }) => {
      const int = (name: string, v: string): number => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InputError(name, `expected a non-negative integer, got "${v}"`);
        return n;
      };
      if (!(opts.size in SIZES)) throw new InputError('--size', `unknown size "${opts.size}" (known: ${Object.keys(SIZES).join(', ')})`);
      let hostile;
      try {
        hostile = parseHostileList(opts.hostile);
      } catch {
        throw new InputError('--hostile', `unknown mode in "${opts.hostile}" (known: ${HOSTILE_MODES.join(', ')}, all)`);
      }
      let forums: string[] | undefined;
      if (opts.forums !== undefined) forums = opts.forums.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const sim = await startSimulator({
        port: int('--port', opts.port),
        seed: int('--seed', opts.seed),
        size: opts.size as keyof typeof SIZES,
        forums,
        hostile,
        socks: typeof opts.socks === 'string' ? { port: int('--socks', opts.socks) } : opts.socks === true,
        sessionMaxRequests: opts.sessionMaxRequests === undefined ? undefined : int('--session-max-requests', opts.sessionMaxRequests),
        out: opts.out,
      }).catch((err: unknown) => {
        throw new InputError('simulate', err instanceof Error ? err.message : String(err));
      });
      const gt = sim.groundTruth();
      process.stdout.write(`simulator listening on ${sim.url} (seed ${gt.seed}, ${gt.posts.length} posts, ${gt.authors.length} authors)\n`);
      for (const f of sim.forums) process.stdout.write(`  ${f.engine.padEnd(10)} ${f.language}  ${f.url}   login ${f.login.username} / ${f.login.password}\n`);
      if (sim.socksPort !== undefined) {
        process.stdout.write(`SOCKS5 (Tor stand-in) on 127.0.0.1:${sim.socksPort}\n`);
        for (const f of sim.forums) process.stdout.write(`  ${f.onionUrl}\n`);
      }
      if (hostile.length > 0) process.stdout.write(`hostile modes: ${hostile.join(', ')}\n`);
      process.stdout.write(`ground truth written to ${opts.out}; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sim.close();
    });
}
