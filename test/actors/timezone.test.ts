import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTimezone } from '../../src/analyse/actors/timezone.js';
import { buildPortrait } from '../../src/analyse/actors/portrait.js';
import { mulberry32 } from '../../src/analyse/actors/centrality.js';

/** Posting hours of someone awake from `wake` for `awake` hours local time, at the given UTC offset. */
function hours(offset: number, posts: number, seed = 1, wake = 8, awake = 18): number[] {
  const rng = mulberry32(seed);
  const counts = new Array<number>(24).fill(0);
  for (let k = 0; k < posts; k++) {
    const local = (wake + Math.floor(rng() * awake)) % 24;
    counts[(local - offset + 48) % 24]! += 1;
  }
  return counts;
}

test('the quiet hours give the UTC offset', () => {
  for (const offset of [-5, 0, 3, 8]) {
    const est = estimateTimezone(hours(offset, 300));
    assert.equal(est.utcOffsetHours, offset, `offset ${offset}`);
    assert.ok(est.confidence > 0.8);
  }
  // An 8-hour night (01:00–09:00) is centred on the assumed 02:00–08:00 window.
  assert.equal(estimateTimezone(hours(5, 300, 2, 9, 16)).utcOffsetHours, 5);
  assert.equal(estimateTimezone(hours(-7, 300, 3, 9, 16)).utcOffsetHours, -7);
});

test('too few posts or a flat pattern give no or a low-confidence estimate', () => {
  assert.equal(estimateTimezone(hours(3, 5)).utcOffsetHours, null);
  assert.ok(estimateTimezone(new Array<number>(24).fill(10)).confidence < 0.05);
});

test('portrait aggregates activity, expertise, indicators and collaborators', () => {
  const posts = Array.from({ length: 40 }, (_, k) => ({
    id: `p${k}`, threadId: `t${k % 4}`, threadTitle: null, board: k % 2 ? 'Exploits' : 'Malware', postedAt: new Date(Date.UTC(2025, k % 3, 1 + k, 14)).toISOString(),
    codeBlocks: k % 5 === 0 ? 1 : 0, startsThread: k < 4,
  }));
  const p = buildPortrait({
    author: { id: 'a1', siteId: 's', siteName: 'forum', handle: 'x', reputation: 3, postCount: 40, joinedAt: null, profileUrl: null },
    posts,
    entities: [
      { postId: 'p1', type: 'cve', value: 'cve-2024-1234' }, { postId: 'p2', type: 'cve', value: 'CVE-2024-1234' },
      { postId: 'p3', type: 'attack-technique', value: 'T1059' }, { postId: 'p4', type: 'jabber', value: 'x@jabber.example' },
      { postId: 'p5', type: 'ipv4', value: '203.0.113.9' }, { postId: 'p6', type: 'attack-software', value: 'S0002' },
    ],
    labels: [{ postId: 'p1', label: 'rce', confidence: 0.9 }, { postId: 'p2', label: 'rce', confidence: 0.2 }, { postId: 'p3', label: 'none', confidence: 0.9 }],
    languages: [{ postId: 'p1', language: 'rus' }, { postId: 'p2', language: 'rus' }, { postId: 'p3', language: 'eng' }],
    interactions: [
      { authorId: 'b', handle: 'bee', kind: 'replied-by', count: 5 }, { authorId: 'b', handle: 'bee', kind: 'quoted', count: 2 },
      { authorId: 'c', handle: 'sea', kind: 'co-thread', count: 3 },
    ],
    score: null, community: null, aliases: [],
  });
  assert.equal(p.posts, 40);
  assert.equal(p.threadsStarted, 4);
  assert.equal(p.expertise.codePosts, 8);
  assert.deepEqual(p.expertise.exploitCategories, [{ label: 'rce', posts: 1 }]);
  assert.deepEqual(p.associated.cves, [{ value: 'CVE-2024-1234', mentions: 2 }]);
  assert.equal(p.expertise.attack[0]?.id, 'T1059');
  assert.equal(p.associated.malwareTools[0]?.value, 'S0002');
  assert.equal(p.associated.contacts[0]?.type, 'jabber');
  assert.equal(p.associated.indicators[0]?.value, '203.0.113.9');
  assert.equal(p.network.collaborators[0]?.handle, 'bee');
  assert.equal(p.network.collaborators[0]?.strength, 5 + 1.5 * 2);
  assert.equal(p.languages[0]?.language, 'rus');
  assert.equal(p.activity.hourUtc[14], 40);
  assert.equal(p.activity.monthly.reduce((a, m) => a + m.posts, 0), 40);
  assert.equal(p.firstSeen, '2025-01-01T14:00:00.000Z');
});
