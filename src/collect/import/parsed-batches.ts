import { InputError } from '../../core/errors.js';
import { startModuleWorker } from '../../core/worker.js';
import { unpackBatch } from '../../store/ingest/packed.js';
import type { WorkerInput, WorkerMessage } from './parse-worker.js';
import type { ParsedBatch, ReadOptions } from './read-batches.js';

/**
 * Parsed batches of a file, produced by a worker thread: reading, JSON.parse, validation,
 * hashing and index-text preparation (about half of an import's CPU) run on the second core
 * while this thread writes. Each step yields every batch that has queued up since the last
 * one (the writer commits them together), at most `maxPosts` posts' worth.
 */
export async function* parsedInWorker(path: string, options: ReadOptions, maxPosts: number): AsyncGenerator<ParsedBatch[]> {
  // Enough batches ahead to fill one transaction of `maxPosts` while the previous one is written.
  const input: WorkerInput = { path, options, ahead: Math.max(AHEAD, Math.ceil(maxPosts / options.batchSize) + 1) };
  const worker = startModuleWorker(import.meta.url, 'parse-worker', {
    workerData: input, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    // Its last message ('done' or 'error') is queued before 'exit'; without one it died early.
    const last = queue[queue.length - 1];
    if (last === undefined || last.type === 'batch') failure ??= new Error(`import worker stopped before the end of ${path} (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === null) await new Promise<void>((resolve) => { wake = resolve; });
      // The caller has just spent seconds in a synchronous transaction while the worker kept
      // sending. Node hands queued messages over one callback at a time and this generator
      // resumes after the first, so without a full turn of the event loop here every group was
      // one batch: a transaction per 2,000 posts instead of up to maxPosts (measured at 1M posts:
      // 500 transactions, 11,130 posts/s; with this turn 48 transactions, 16,503 posts/s).
      // setImmediate runs after the poll phase has delivered everything pending.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (failure !== null) throw failure;
      const group: ParsedBatch[] = [];
      let posts = 0;
      while (queue.length > 0 && queue[0]!.type === 'batch' && (group.length === 0 || posts < maxPosts)) {
        const message = queue.shift() as Extract<WorkerMessage, { type: 'batch' }>;
        const batch = message.item.batch === null ? null : unpackBatch(message.item.batch);
        group.push({ ...message.item, batch });
        posts += batch?.posts.size ?? 0;
      }
      if (group.length > 0) {
        worker.postMessage({ ack: group.length });
        yield group;
        continue;
      }
      const message = queue.shift()!;
      if (message.type === 'error') throw message.input === null ? new Error(message.message) : new InputError(message.input, message.message);
      if (message.type === 'done') return;
    }
  } finally {
    await worker.terminate();
  }
}

/** At least this many batches may be sent beyond those acknowledged, to keep both threads busy. */
const AHEAD = 4;

/**
 * The worker allocates a parsed record, its normalised row and packed strings for every line, all
 * garbage within a batch or two. With V8's default young generation (3 × 16 MiB semi-spaces)
 * V8's four helper threads spent ~4 µs of CPU per imported post each, with 192 MiB ~2, and the
 * process 5–6 µs less in all (300k generated posts, three quiet pairs, docs/import.md). It costs
 * at most that much more memory while an import runs.
 */
const WORKER_YOUNG_GENERATION_MB = 192;
