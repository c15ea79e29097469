import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { regexLiteralsIn } from '../helpers/regex-literals.js';
import { mentions } from '../../src/analyse/actors/graph.js';
import { foldHandle } from '../../src/analyse/actors/handles.js';
import { escapeXml } from '../../src/analyse/actors/export.js';

const SRC = 'src/analyse/actors';

function sourceRegexes(): [string, RegExp][] {
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    assert.ok(!readFileSync(join(SRC, file), 'utf8').includes('new RegExp('), `${file} builds a dynamic RegExp`);
  }
  return regexLiteralsIn(SRC);
}

test('every regex applied to forum content in actor analysis is linear-time (recheck)', { timeout: 300_000 }, async () => {
  const regexes = sourceRegexes();
  assert.ok(regexes.length >= 5, `found ${regexes.length}`);
  const failures: string[] = [];
  for (const [name, re] of regexes) {
    const result = await check(re.source, re.flags, { timeout: 30_000, randomSeed: 42 });
    if (result.status !== 'safe') failures.push(`${name}: ${result.status}`);
  }
  assert.deepEqual(failures, []);
});

test('pathological inputs stay fast', () => {
  const started = performance.now();
  mentions(`${'@a'.repeat(100_000)}`);
  mentions(`@${'a.'.repeat(100_000)}`);
  foldHandle(`${'1'.repeat(1000)}a`);
  escapeXml('\ud800'.repeat(100_000) + '&'.repeat(100_000));
  assert.ok(performance.now() - started < 5_000);
});
