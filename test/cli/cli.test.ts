import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sampleRecords } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tm-cli-'));
const db = join(dir, 'cli.db');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/threatminer.js', ...args], { encoding: 'utf8', env: { ...process.env, THREATMINER_FROM_SOURCE: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('every command has --help', () => {
  const top = cli('--help');
  assert.equal(top.code, 0);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  for (const required of ['import', 'search', 'analyze', 'serve', 'stats', 'demo']) assert.ok(commands.includes(required), `${required} is a command`);
  for (const command of commands) {
    const help = cli(command, '--help');
    assert.equal(help.code, 0, `${command} --help exits 0`);
    assert.match(help.stdout, new RegExp(`Usage: threatminer ${command}`));
  }
});

test('import, search and stats from the command line; bad rows exit 3 after importing the rest', () => {
  const file = join(dir, 'posts.jsonl');
  writeFileSync(file, [...sampleRecords().map((r) => JSON.stringify(r)), '{"site":"x"}'].join('\n'));
  const imported = cli('import', file, '--db', db);
  assert.equal(imported.code, 3);
  assert.match(imported.stdout, /5 new/);
  assert.match(imported.stderr, new RegExp(`rejected ${file.replaceAll('.', '\\.')}:6: `));
  const search = cli('search', 'exploit', '--db', db, '--json');
  assert.equal(search.code, 0);
  assert.equal((JSON.parse(search.stdout) as { total: number }).total, 2);
  const stats = cli('stats', '--db', db);
  assert.equal(stats.code, 0);
  assert.match(stats.stdout, /5 posts/);
});

test('bad options and inputs name the problem and exit non-zero', () => {
  const cases: [string[], RegExp][] = [
    [['import', join(dir, 'nope.jsonl'), '--db', db], /nope\.jsonl: cannot read/],
    [['search', 'x', '--limit', '0', '--db', db], /--limit: expected a whole number/],
    [['search', '--db', db, '--', '-only'], /at least one word/],
    [['analyze', '--only', 'nope', '--db', db], /unknown analyser "nope"/],
    [['import', join(dir, 'x.xml'), '--db', db], /cannot tell the format/],
    [['stats', '--db', 'postgres://nobody@127.0.0.1:1/none'], /cannot connect to PostgreSQL/],
  ];
  writeFileSync(join(dir, 'x.xml'), '<x/>');
  for (const [args, message] of cases) {
    const result = cli(...args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace for user errors');
  }
});
