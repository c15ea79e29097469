import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { check } from 'recheck';
import ts from 'typescript';
import { BUILTIN_PROFILES } from '../../src/collect/crawler/index.js';
import type { Field } from '../../src/collect/crawler/profiles/types.js';

const SRC = 'src/collect/crawler';

/** Every regex literal in the crawler's source (it runs them on hostile pages and headers). */
function sourceRegexes(): [string, RegExp][] {
  const out: [string, RegExp][] = [];
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(sf);
        const slash = literal.lastIndexOf('/');
        out.push([`${file}: ${literal.slice(0, 60)}`, new RegExp(literal.slice(1, slash), literal.slice(slash + 1))]);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
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
