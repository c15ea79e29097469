import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { openStore } from '../../src/store/index.js';
import { UserError } from '../../src/core/errors.js';
import * as actorsCommand from '../../src/cli/commands/actors.js';

/**
 * Runs `threatminer actors …` in-process (spawning the CLI costs seconds of transpiling every
 * command module); stdout is captured, a UserError becomes exit status 2 as in src/cli/main.ts.
 */
async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const program = new Command('threatminer').exitOverride();
  actorsCommand.register(program);
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'threatminer', ...args]);
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    if (err instanceof UserError) return { status: err.exitCode, stdout, stderr: err.message };
    throw err;
  } finally {
    process.stdout.write = write;
  }
}

test('actors rank / top / show / graph from the command line', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tm-actors-'));
  try {
    const db = join(dir, 'db.sqlite');
    const store = await openStore({ url: db });
    const records = [];
    for (let t = 0; t < 4; t++) {
      records.push({ site: 'forum', thread_id: `${t}`, post_id: `${t}-0`, author: 'Boss', author_reputation: 50, posted_at: `2025-03-0${t + 1}T10:00:00Z`, body_text: 'release', code_blocks: [{ code: 'x' }] });
      for (const [k, who] of ['a1', 'a2', 'evil\u001b[31m'].entries()) {
        records.push({ site: 'forum', thread_id: `${t}`, post_id: `${t}-${k + 1}`, author: who, posted_at: `2025-03-0${t + 1}T1${k}:30:00Z`, body_text: 'ty', quotes: [`${t}-0`] });
      }
    }
    await store.ingest(records);
    await store.close();

    const rank = await cli(['actors', 'rank', '--db', db, '--json']);
    assert.equal(rank.status, 0, rank.stderr);
    assert.equal(JSON.parse(rank.stdout).written.scores, 4);

    const top = await cli(['actors', 'top', '--db', db, '--json', '--limit', '2']);
    assert.equal(top.status, 0, top.stderr);
    const rows = JSON.parse(top.stdout) as { handle: string; rank: number }[];
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.handle, 'Boss');

    const table = await cli(['actors', 'top', '--db', db]);
    assert.ok(!table.stdout.includes('\u001b'), 'terminal escape from a handle reached the output');

    const show = await cli(['actors', 'show', 'forum:boss', '--db', db]);
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /key-actor score [\d.]+ \(rank 1 on the site/);
    assert.match(show.stdout, /collaborators: .*a1/);

    const missing = await cli(['actors', 'show', 'forum:nobody', '--db', db]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /forum:nobody: no such actor/);

    const out = join(dir, 'g.graphml');
    const graph = await cli(['actors', 'graph', '--format', 'graphml', '--out', out, '--db', db]);
    assert.equal(graph.status, 0, graph.stderr);
    assert.match(readFileSync(out, 'utf8'), /<graphml /);
    assert.equal((await cli(['actors', 'graph', '--format', 'dot', '--db', db])).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
