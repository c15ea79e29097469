#!/usr/bin/env node
// Builds the libtorch training addon (native/) with node-gyp. Run by `make native`.
//   default        Debian's libtorch-dev: headers in /usr/include/torch, libs in /usr/lib/x86_64-linux-gnu
//   LIBTORCH=/path the official libtorch distribution (include/ and lib/ under /path)
// When libtorch headers are absent it prints how to get them and exits 0: serving needs only
// onnxruntime-node, and training commands explain the missing addon themselves.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const libtorch = process.env.LIBTORCH ? resolve(process.env.LIBTORCH) : '';
const header = libtorch
  ? join(libtorch, 'include/torch/csrc/api/include/torch/torch.h')
  : '/usr/include/torch/csrc/api/include/torch/torch.h';

if (!existsSync(header)) {
  console.log(
    `native: skipped — libtorch headers not found (${header}).\n` +
      '  Training needs them: `apt-get install libtorch-dev libopenblas0-pthread` (or `make system`),\n' +
      '  or set LIBTORCH=/path/to/libtorch for the official distribution, then run `make native`.\n' +
      '  Serving models (onnxruntime-node) works without the addon.',
  );
  process.exit(0);
}

// Up to date when the addon is newer than every source and was built for the same libtorch.
const output = join(nativeDir, 'build/Release/threatminer_torch.node');
const stamp = join(nativeDir, 'build', `libtorch-${(libtorch || 'debian').replace(/[^A-Za-z0-9]+/g, '_')}`);
if (!process.argv.includes('--force') && existsSync(output) && existsSync(stamp)) {
  const built = statSync(output).mtimeMs;
  const sources = readdirSync(nativeDir).filter((f) => /\.(cc|h|gyp)$/.test(f));
  if (sources.every((f) => statSync(join(nativeDir, f)).mtimeMs < built)) {
    console.log('native: addon is up to date (node scripts/build-native.mjs --force to rebuild)');
    process.exit(0);
  }
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.error('native: node-gyp is not installed; run `npm install` first');
  process.exit(1);
}

const args = [gyp, 'rebuild', `--directory=${nativeDir}`, `-j`, 'max'];
// Headers of the running node, so node-gyp never downloads them (Debian's nodejs ships them).
if (existsSync('/usr/include/node/node_api.h') && !process.env.npm_config_nodedir) args.push('--nodedir=/usr');
if (libtorch) args.push(`--libtorch=${libtorch}`);
const started = Date.now();
console.log(`native: building the libtorch addon (${libtorch || 'Debian libtorch-dev'})…`);
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
if (r.status !== 0) {
  console.error('native: build failed (see the compiler output above)');
  process.exit(r.status ?? 1);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`native: built native/build/Release/threatminer_torch.node in ${((Date.now() - started) / 1000).toFixed(0)} s`);
