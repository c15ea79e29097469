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
// Probe PostgreSQL once for all test files (their skip decision is made synchronously).
const env = { ...process.env };
if (env.TEST_DATABASE_URL) {
  const probe = spawnSync(process.execPath, ['-e', `
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('select 1')).then(() => { console.log('ok'); return c.end(); })
      .catch((e) => { console.log(e.message); process.exit(0); });`], { env, encoding: 'utf8' });
  env.TEST_POSTGRES_STATUS = (probe.stdout || probe.stderr || 'probe failed').trim().split('\n')[0];
} else {
  env.TEST_POSTGRES_STATUS = 'TEST_DATABASE_URL is not set';
}
if (env.TEST_POSTGRES_STATUS !== 'ok') {
  const message = `PostgreSQL suite SKIPPED (${env.TEST_POSTGRES_STATUS}). Set TEST_DATABASE_URL=postgres://user@host:5432/db to run it.`;
  if (env.TEST_REQUIRE_POSTGRES === '1') {
    console.error(`run-tests: ${message} — but TEST_REQUIRE_POSTGRES=1`);
    process.exit(1);
  }
  console.error(`run-tests: ${message}`);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env },
);
// Said again at the end, where it is seen: a skipped suite must not pass unnoticed.
if (env.TEST_POSTGRES_STATUS !== 'ok') {
  console.error(`run-tests: NOTE the PostgreSQL suite was skipped (${env.TEST_POSTGRES_STATUS}); set TEST_DATABASE_URL to run it.`);
}
process.exit(result.status ?? 1);
