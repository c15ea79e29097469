// Child process for the crash test: imports a file with small batches, reporting each batch on
// stdout so the parent can SIGKILL it mid-import.
import { importFile } from '../../src/collect/import/import-file.js';
import { openStore } from '../../src/store/index.js';

const [url, schema, file, mode] = process.argv.slice(2);
const store = await openStore({ url, schema: schema === '-' ? undefined : schema });
await importFile(store, file!, {
  batchSize: 50,
  // 'bulk': the large-file path (worker thread, SQLite indexes deferred) on a small file.
  ...(mode === 'bulk' ? { worker: true, bulk: true } : {}),
  onProgress: (p) => process.stdout.write(`batch ${p.rows}\n`),
});
await store.close();
process.stdout.write('done\n');
