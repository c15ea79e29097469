import { startModuleWorker } from '../core/worker.js';

export interface IndexerInput {
  readonly storePath: string;
  readonly bulk: boolean;
  /** Int32Array over it: [0] becomes FINISH when the import has committed its last post. */
  readonly signal: SharedArrayBuffer;
}

export type IndexerMessage = { type: 'done'; indexed: number } | { type: 'error'; message: string };

export const FINISH = 1;

/** A search index being brought up to date on another thread while an import writes posts. */
export interface BackgroundIndexer {
  /** Call after the import's last commit: resolves with the posts indexed once the index is current. */
  finish(): Promise<number>;
}

/**
 * Starts indexing the file-backed store at `storePath` on a worker thread. With `bulk`, the
 * index merges nothing until the end (see beginBulkIndexing). Failures surface from finish().
 */
export function startBackgroundIndexing(storePath: string, bulk: boolean): BackgroundIndexer {
  const signal = new SharedArrayBuffer(4);
  const input: IndexerInput = { storePath, bulk, signal };
  const worker = startModuleWorker(import.meta.url, 'search-index-worker', { workerData: input });
  const result = new Promise<number>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: IndexerMessage) => {
      settled = true;
      if (message.type === 'done') resolve(message.indexed);
      else reject(new Error(`search index of ${storePath}: ${message.message}`));
    });
    worker.on('error', (err) => {
      settled = true;
      reject(new Error(`search index of ${storePath}: ${err.message}`, { cause: err }));
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`search index worker for ${storePath} stopped (exit code ${code})`));
    });
  });
  // Until finish() is awaited a failure is only recorded; the import's own error comes first.
  result.catch(() => undefined);
  return {
    finish: async () => {
      const flag = new Int32Array(signal);
      Atomics.store(flag, 0, FINISH);
      Atomics.notify(flag, 0);
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
  };
}
