import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from 'recheck';
import { regexLiteralsIn } from '../helpers/regex-literals.js';

/**
 * Forum content is hostile, so every regex literal in the product must be linear-time. The
 * indicator extractor, the crawler and actor analysis have their own, more detailed ReDoS tests
 * (dynamic patterns, profile regexes); this one covers every other source file, including the
 * dashboard's.
 */
const COVERED_ELSEWHERE = ['src/analyse/iocs', 'src/collect/crawler', 'src/analyse/actors'];

test('every other regex literal in src/ and web/src is linear-time according to recheck', { timeout: 600_000 }, async () => {
  const regexes = [
    ...regexLiteralsIn('src', { recursive: true, exclude: COVERED_ELSEWHERE }),
    ...regexLiteralsIn('web/src', { recursive: true }),
  ];
  assert.ok(regexes.length >= 20, `found ${regexes.length} regex literals`);
  const unique = new Map(regexes.map(([name, re]) => [`${re.source}/${re.flags}`, [name, re] as const]));
  const failures: string[] = [];
  for (const [name, re] of unique.values()) {
    let result = await check(re.source, re.flags, { timeout: 30_000, randomSeed: 42 });
    if (result.status === 'unknown') result = await check(re.source, re.flags, { timeout: 60_000, randomSeed: 7 });
    if (result.status !== 'safe') failures.push(`${name}: ${result.status}${result.status === 'vulnerable' ? ` (${result.complexity.type})` : ''}`);
  }
  assert.deepEqual(failures, []);
});
