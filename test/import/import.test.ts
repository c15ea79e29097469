import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { importFile, type RejectedRow } from '../../src/collect/import/import-file.js';
import { sampleRecords } from '../helpers/fixtures.js';
import { describeEachStore } from '../helpers/stores.js';
import { importAndKill } from '../helpers/kill-import.js';

const dir = mkdtempSync(join(tmpdir(), 'tm-import-'));

function writeJsonl(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function generatedRecords(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ site: 'gen', board: `b${i % 7}`, thread_id: `t${i % 97}`, post_id: String(i), author: `user${i % 131}`, posted_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), body_text: `post number ${i} about exploit ${i % 13}` }),
  );
}

async function countPosts(store: Awaited<ReturnType<Parameters<Parameters<typeof describeEachStore>[1]>[0]>>): Promise<number> {
  const row = await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachStore('import', (makeStore) => {
  test('JSONL import is idempotent and reports every bad row with file:line', async () => {
    const store = await makeStore();
    const good = sampleRecords().map((r) => JSON.stringify(r));
    const path = writeJsonl('mixed.jsonl', [
      good[0]!, '{not json', good[1]!, JSON.stringify({ site: 'x', author: 'y' }), '', good[2]!,
      JSON.stringify({ site: 'x', author: 'y', body_text: 'z', unexpected: 1 }), good[3]!, good[4]!,
    ]);
    const rejected: RejectedRow[] = [];
    const first = await importFile(store, path, { onRejected: (r) => rejected.push(r) });
    assert.equal(first.inserted, 5);
    assert.equal(first.rejected, 3);
    assert.deepEqual(rejected.map((r) => r.where), [`${path}:2`, `${path}:4`, `${path}:7`]);
    assert.match(rejected[0]!.reason, /invalid JSON/);
    assert.match(rejected[1]!.reason, /body_text/);
    assert.match(rejected[2]!.reason, /unexpected/);
    const second = await importFile(store, path, { resume: false });
    assert.equal(second.inserted, 0);
    assert.equal(second.unchanged, 5);
    assert.equal(await countPosts(store), 5);
  });

  test('gzipped JSONL and CSV with a column mapping', async () => {
    const store = await makeStore();
    const gz = join(dir, 'dump.jsonl.gz');
    writeFileSync(gz, gzipSync(generatedRecords(30).join('\n')));
    assert.equal((await importFile(store, gz)).inserted, 30);

    const csv = join(dir, 'dump.csv');
    writeFileSync(csv, [
      'forum,user,msg_id,text,quotes,author_reputation',
      'csvforum,alice,1,"hello, world",,5',
      'csvforum,bob,2,"reply to ""alice""",1,7.5',
      'csvforum,carol,3,"broken row"',
      'csvforum,dave,4,,,',
    ].join('\n'));
    const rejected: RejectedRow[] = [];
    const summary = await importFile(store, csv, { map: 'site=forum,author=user,post_id=msg_id,body_text=text', onRejected: (r) => rejected.push(r) });
    assert.equal(summary.inserted, 2);
    assert.equal(summary.rejected, 2);
    assert.match(rejected.map((r) => r.reason).join('|'), /malformed CSV/);
    assert.match(rejected.map((r) => r.reason).join('|'), /body_text or body_html/);
    const links = await store.db.selectFrom('post_links').selectAll().execute();
    assert.equal(links.length, 1);
  });

  test('bad options and unreadable inputs give clear errors', async () => {
    const store = await makeStore();
    await assert.rejects(importFile(store, join(dir, 'missing.jsonl')), /missing\.jsonl: cannot read/);
    await assert.rejects(importFile(store, join(dir, 'data.xml')), /cannot tell the format/);
    const csv = join(dir, 'nohead.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    await assert.rejects(importFile(store, csv), /no column for required field "site"/);
    await assert.rejects(importFile(store, csv, { map: 'sight=a' }), /--map: unknown record field "sight"/);
  });

  test('binary data and over-long lines are rejected per line, the rest imported', async () => {
    const store = await makeStore();
    const path = join(dir, 'binary.jsonl');
    const good = generatedRecords(3);
    writeFileSync(path, Buffer.concat([
      Buffer.from(good[0]! + '\n'), Buffer.from([0x00, 0xff, 0xfe, 0x0a]), Buffer.from('x'.repeat(5000) + '\n'),
      Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from(good[1]! + '\n' + good[2]!),
    ]));
    const rejected: RejectedRow[] = [];
    const summary = await importFile(store, path, { maxLineBytes: 4096, onRejected: (r) => rejected.push(r) });
    assert.equal(summary.inserted, 3);
    assert.deepEqual(rejected.map((r) => r.reason), ['binary data (NUL byte) in line', 'line is longer than 4096 bytes', 'line is not valid UTF-8']);
  });
});

for (const [name, url, schema] of [
  ['sqlite', join(dir, 'crash.db'), '-'],
  ['postgres', process.env.TEST_DATABASE_URL, `tm_crash_${process.pid}`],
] as const) {
  const skip = name === 'postgres' && process.env.TEST_POSTGRES_STATUS !== 'ok' && process.env.TEST_REQUIRE_POSTGRES !== '1'
    ? 'PostgreSQL not reachable (set TEST_DATABASE_URL)' : false;
  test(`a crash mid-import loses nothing and duplicates nothing on re-run [${name}]`, { skip }, async () => {
    const path = writeJsonl(`crash-${name}.jsonl`, generatedRecords(2000));
    const batches = await importAndKill([url!, schema, path]);
    assert.ok(batches >= 3 && batches < 40, `killed mid-import after ${batches} batches`);
    const { openStore } = await import('../../src/store/index.js');
    const store = await openStore({ url, schema: schema === '-' ? undefined : schema });
    try {
      const partial = Number((await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      assert.ok(partial > 0 && partial < 2000, `partial import: ${partial}`);
      const summary = await importFile(store, path);
      assert.ok(summary.resumedAfterLine > 0, 'resumed from the checkpoint');
      assert.equal(summary.inserted + partial, 2000);
      const total = Number((await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(total, 2000);
      const fts = await store.search({ q: '"exploit 7"' });
      const expected = Array.from({ length: 2000 }, (_, i) => i).filter((i) => i % 13 === 7).length;
      assert.equal(fts.total, expected, 'every post is searchable exactly once');
    } finally {
      if (store.dialect === 'postgres') await (await import('kysely')).sql`DROP SCHEMA IF EXISTS ${(await import('kysely')).sql.id(schema)} CASCADE`.execute(store.db);
      await store.close();
    }
  });
}
