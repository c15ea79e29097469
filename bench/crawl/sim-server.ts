// Child process for bench/crawl.ts: serves the simulator so its CPU does not count as the crawler's.
import { startSimulator } from '../../src/collect/simulator/index.js';

const sim = await startSimulator({ seed: Number(process.argv[2] ?? 1), size: (process.argv[3] ?? 'medium') as 'medium', gzip: true });
process.stdout.write(`${JSON.stringify({ url: sim.url, forums: sim.forums, posts: sim.groundTruth().posts.length })}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
