import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { regexLiteralsIn } from '../helpers/regex-literals.js';
import { KEYWORD_PATTERNS, PATTERNS } from '../../src/analyse/iocs/patterns.js';
import { createExtractor } from '../../src/analyse/iocs/index.js';

const SRC = 'src/analyse/iocs';

function sourceRegexes(): [string, RegExp][] {
  return regexLiteralsIn(SRC);
}

test('dynamic regexes are only built in patterns.ts, where the registry holds them', () => {
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts') && f !== 'patterns.ts')) {
    assert.ok(!readFileSync(join(SRC, file), 'utf8').includes('new RegExp('), `${file} builds a RegExp outside the registry`);
  }
});

test('every regex of the extractor is linear-time according to recheck (ReDoS detector)', { timeout: 600_000 }, async () => {
  const all: [string, RegExp][] = [...Object.entries(PATTERNS), ...Object.entries(KEYWORD_PATTERNS), ...sourceRegexes()];
  const unique = new Map<string, [string, RegExp]>();
  for (const [name, re] of all) unique.set(`${re.source}/${re.flags}`, [name, re]);
  assert.ok(unique.size > 40, `expected the registry and source to hold many regexes, found ${unique.size}`);
  const queue = [...unique.values()];
  const failures: string[] = [];
  // Flags as used (a sticky regex runs only at an anchor position); `d` does not affect matching.
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const [name, re] = item;
      const flags = re.flags.replace(/d/g, '');
      let result = await check(re.source, flags, { timeout: 60_000, randomSeed: 42 });
      // A timeout on a loaded machine is "unknown", not a verdict: retry once. "vulnerable" is final.
      if (result.status === 'unknown') result = await check(re.source, flags, { timeout: 120_000, randomSeed: 42 });
      if (result.status !== 'safe') failures.push(`${name} (/${re.source}/${re.flags}): ${result.status} ${JSON.stringify('complexity' in result ? result.complexity : result.error)}`);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, []);
});

/** Pathological inputs: long runs of the characters each scanner anchors on or backtracks over. */
const UNITS = [
  'a.', '1.', '[.]', 'hxxp', '@', 'a@', '::', '0:', 'ab', 'f', '\\a', '/etc', 'T1', 'AS', '-', 'x.', '[', '%a%\\',
  'HKLM\\a', '1a', 'bc1', '0x', ' [at] ', 'a:', 'a-', 'xn--', 'CVE-2021-', '.onion', '\u200b', '0:aaa:', 'aa:', 'abcd ',
  'a.b', 'http://', 'C:\\a b', '1.1.1.', 'aaaa.', '0a', '~/', 'a_',
];

function pathological(chars: number): string {
  const parts: string[] = [];
  let total = 0;
  for (let k = 0; total < chars; k++) {
    const unit = UNITS[k % UNITS.length] as string;
    const run = unit.repeat(Math.ceil(Math.min(20_000, chars - total) / unit.length));
    parts.push(run);
    total += run.length;
  }
  return parts.join('').slice(0, chars);
}

function cpuMs(fn: () => void): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

test('adversarial input: 4x the text takes ~4x the time (linear), not 16x', () => {
  const extractor = createExtractor();
  const small = pathological(150_000);
  const large = pathological(600_000);
  extractor.extract(small); // warm up the JIT and memo tables
  // Best of three against scheduler noise on a shared machine.
  const tSmall = Math.min(cpuMs(() => extractor.extract(small)), cpuMs(() => extractor.extract(small)), cpuMs(() => extractor.extract(small)));
  const tLarge = Math.min(cpuMs(() => extractor.extract(large)), cpuMs(() => extractor.extract(large)), cpuMs(() => extractor.extract(large)));
  const ratio = tLarge / Math.max(tSmall, 1);
  // Linear is ~4; quadratic would be ~16. Allow generous noise.
  assert.ok(ratio < 8, `time ratio for 4x input was ${ratio.toFixed(2)} (${tSmall.toFixed(0)} ms → ${tLarge.toFixed(0)} ms)`);
});
