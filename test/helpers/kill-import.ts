import { spawn } from 'node:child_process';

/**
 * Runs test/helpers/import-child.ts with `args` and SIGKILLs it once it has reported `after`
 * batches: a crash in the middle of an import. Resolves with the batches it reported.
 */
export async function importAndKill(args: readonly string[], after = 3): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/import-child.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let batches = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      batches += chunk.toString().split('\n').filter((l) => l.startsWith('batch')).length;
      if (batches >= after && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
  return batches;
}
