#!/usr/bin/env node
// Finds test files and runs them with node's test runner through tsx. Node 20's --test does not
// discover .ts files by itself, hence this script. Pass paths or substrings to narrow the run:
//   node scripts/run-tests.mjs store api
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('test', [])
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);
