/**
 * Worker thread that keeps a file-backed store's search index up to date while an import writes
 * posts (search-indexer.ts). It polls for committed posts, indexes them in transactions of its
 * own on the index file, and when told the import has finished, catches up, merges the index
 * (bulk mode) and reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import { FINISH, type IndexerInput, type IndexerMessage } from './search-indexer.js';
import { beginBulkIndexing, catchUpOnce, closeSearchIndex, endBulkIndexing, openSearchIndex } from './search-index.js';

/** Posts per index transaction: as large as the importer's, so the index gets as few segments. */
const POSTS_PER_TRANSACTION = 50_000;
/** How long to sleep when everything committed is indexed (woken early by FINISH). */
const IDLE_MS = 50;

const port = parentPort;
if (port === null) throw new Error('search-index-worker must run in a worker thread');
const { storePath, bulk, signal } = workerData as IndexerInput;
const flag = new Int32Array(signal);

try {
  const index = openSearchIndex(storePath);
  try {
    if (bulk) beginBulkIndexing(index);
    let indexed = 0;
    for (;;) {
      // Read before the catch-up: if FINISH was already set, a catch-up that finds nothing has
      // seen every post the import committed.
      const finishing = Atomics.load(flag, 0) === FINISH;
      const n = catchUpOnce(index, POSTS_PER_TRANSACTION);
      indexed += n;
      if (n > 0) continue;
      if (finishing) break;
      Atomics.wait(flag, 0, 0, IDLE_MS);
    }
    if (bulk) endBulkIndexing(index);
    port.postMessage({ type: 'done', indexed } satisfies IndexerMessage);
  } finally {
    closeSearchIndex(index);
  }
} catch (err) {
  port.postMessage({ type: 'error', message: errorMessage(err) } satisfies IndexerMessage);
}
