import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) next to `importerUrl`, whether the code runs
 * compiled (.js) or from TypeScript sources under tsx: Node 20 workers do not inherit the
 * parent's module hooks, so from sources the worker registers tsx itself before importing.
 */
export function startModuleWorker(importerUrl: string, name: string, options: WorkerOptions): Worker {
  const ext = extname(fileURLToPath(importerUrl));
  const file = new URL(`./${name}${ext}`, importerUrl);
  if (ext !== '.ts') return new Worker(file, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
