import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { check } from 'recheck';
import { regexLiteralsIn } from '../helpers/regex-literals.js';
import { BUILTIN_PROFILES } from '../../src/collect/crawler/index.js';
import type { Field } from '../../src/collect/crawler/profiles/types.js';

const SRC = 'src/collect/crawler';

function sourceRegexes(): [string, RegExp][] {
  return regexLiteralsIn(SRC);
}

/** The regexes inside the built-in engine profiles (applied to URLs and attribute values). */
function profileRegexes(): [string, RegExp][] {
  const out: [string, RegExp][] = [];
  const field = (name: string, f: Field | undefined): void => {
    if (f !== undefined && typeof f !== 'string' && f.regex !== undefined) out.push([name, new RegExp(f.regex, 'u')]);
  };
  for (const p of Object.values(BUILTIN_PROFILES)) {
    out.push([`${p.name}.threadIdFromUrl`, new RegExp(p.thread.threadIdFromUrl, 'u')]);
    field(`${p.name}.postId`, p.thread.postId);
    field(`${p.name}.quote`, p.thread.quote.target);
    field(`${p.name}.code`, p.thread.code.language);
  }
  return out;
}

test('every regex of the crawler and its profiles is linear-time according to recheck', { timeout: 300_000 }, async () => {
  const unique = new Map<string, [string, RegExp]>();
  for (const [name, re] of [...sourceRegexes(), ...profileRegexes()]) unique.set(`${re.source}/${re.flags}`, [name, re]);
  assert.ok(unique.size > 25, `found ${unique.size} regexes`);
  const failures: string[] = [];
  const queue = [...unique.values()];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const [name, re] = item;
      const result = await check(re.source, re.flags, { timeout: 30_000, randomSeed: 42 });
      if (result.status !== 'safe') failures.push(`${name}: ${result.status}`);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, []);
});
