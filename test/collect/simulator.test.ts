import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bech32 } from '@scure/base';
import { GroundTruth, startSimulator } from '../../src/collect/simulator/index.js';
import { generateCommunity, SIZES } from '../../src/collect/simulator/model.js';

test('the same seed gives the same community; another seed a different one', () => {
  const now = Date.UTC(2026, 10, 21, 23, 30);
  const a = generateCommunity({ seed: 5, now, size: SIZES.tiny });
  const b = generateCommunity({ seed: 5, now, size: SIZES.tiny });
  const c = generateCommunity({ seed: 6, now, size: SIZES.tiny });
  assert.deepEqual(JSON.stringify(a), JSON.stringify(b));
  assert.notEqual(JSON.stringify(a), JSON.stringify(c));
});

test('ground truth file: schema, key actors with aliases, heavy tail, valid indicators', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tm-sim-')), 'gt.json');
  const sim = await startSimulator({ seed: 2, size: 'small', out });
  try {
    const gt = GroundTruth.parse(JSON.parse(readFileSync(out, 'utf8')));
    assert.equal(gt.forums.length, 5);
    assert.deepEqual(new Set(gt.forums.map((f) => f.language)), new Set(['en', 'ru', 'zh']));
    assert.equal(gt.key_actors.length, 3);
    for (const k of gt.key_actors) {
      assert.ok(k.aliases.length >= 3, 'a key actor is on several forums');
      for (const alias of k.aliases) assert.ok(gt.authors.some((a) => a.forum === alias.forum && a.handle === alias.handle && a.key_actor && a.person === k.person));
    }
    // Heavy tail: the most active tenth of authors writes far more than a tenth of the posts.
    for (const forum of gt.forums) {
      const counts = gt.authors.filter((a) => a.forum === forum.slug).map((a) => a.post_count).sort((x, y) => y - x);
      const total = counts.reduce((s, n) => s + n, 0);
      const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((s, n) => s + n, 0);
      assert.ok(top / total > 0.25, `${forum.slug}: top 10% wrote ${((100 * top) / total).toFixed(0)}%`);
    }
    assert.ok(gt.threads.some((t) => t.login_required));
    assert.deepEqual(new Set(gt.threads.map((t) => t.topic)), new Set(['exploit', 'malware', 'carding', 'ddos', 'access', 'leak', 'tutorial']));
    const indicators = gt.posts.flatMap((p) => p.indicators);
    for (const type of ['ipv4', 'domain', 'sha256', 'cve', 'btc', 'eth', 'jabber', 'telegram', 'onion'] as const) {
      assert.ok(indicators.some((i) => i.type === type), `planted ${type}`);
    }
    for (const i of indicators.filter((x) => x.type === 'btc')) assert.doesNotThrow(() => bech32.decode(i.value as `${string}1${string}`));
    for (const i of indicators.filter((x) => x.type === 'onion')) assert.match(i.value, /^http:\/\/[a-z2-7]{56}\.onion\/$/);
    // Every indicator appears in its post as written.
    for (const p of gt.posts) for (const i of p.indicators) assert.ok(p.body_text.includes(i.as_written) || p.code?.code.includes(i.as_written), `${i.as_written} in post ${p.post_id}`);
    // Quote edges point backwards within the thread.
    const byId = new Map(gt.posts.map((p) => [`${p.forum}/${p.post_id}`, p]));
    for (const p of gt.posts) for (const q of p.quotes) assert.ok((byId.get(`${p.forum}/${q}`)?.number ?? Infinity) < p.number);
  } finally {
    await sim.close();
  }
});
