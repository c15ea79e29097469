import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCandidates } from '../../src/analyse/actors/alias.js';
import { foldHandle, handleCore, handleSimilarity, jaroWinkler } from '../../src/analyse/actors/handles.js';
import { generateCommunity, SIZES } from '../../src/collect/simulator/model.js';
import { mulberry32 } from '../../src/analyse/actors/centrality.js';
import type { ActorAuthor, ActorEntity, ActorPost } from '../../src/analyse/actors/types.js';

const author = (id: string, site: string, handle: string): ActorAuthor => ({ id, siteId: site, handle, reputation: null, postCount: null, joinedAt: null });

test('handle folding undoes leetspeak, case, separators and numeric suffixes', () => {
  assert.equal(foldHandle('Z3r0_C00l1337'), 'zerocool');
  assert.equal(foldHandle('zerocool'), 'zerocool');
  assert.equal(foldHandle('12345'), '12345'.split('').map((c) => ({ '1': 'i', '3': 'e', '4': 'a', '5': 's' })[c] ?? c).join(''));
  assert.ok(handleSimilarity('k0rv0r', 'Korvor_pro').similarity > 0.9);
  assert.ok(jaroWinkler('martha', 'marhta') > 0.96 && jaroWinkler('martha', 'marhta') < 0.962);
  assert.ok(handleSimilarity('admin', 'Admin').generic);
});

test('a shared PGP fingerprint links two handles with nothing else in common, with the evidence', () => {
  const authors = [author('a1', 's1', 'nightowl'), author('a2', 's2', 'qwerty_dealer'), author('a3', 's2', 'other')];
  const posts: Pick<ActorPost, 'id' | 'authorId' | 'bodyText'>[] = [
    { id: 'p1', authorId: 'a1', bodyText: 'contact me' }, { id: 'p2', authorId: 'a2', bodyText: 'pm' }, { id: 'p3', authorId: 'a3', bodyText: 'x' },
  ];
  const entities: ActorEntity[] = [
    { postId: 'p1', type: 'pgp-fingerprint', value: 'ABCD 1234 ABCD 1234 ABCD  1234 ABCD 1234 ABCD 1234' },
    { postId: 'p2', type: 'pgp-fingerprint', value: 'abcd1234abcd1234abcd1234abcd1234abcd1234' },
  ];
  const found = aliasCandidates({ authors, posts, entities });
  assert.equal(found.length, 1);
  const c = found[0]!;
  assert.deepEqual([c.a, c.b], ['a1', 'a2']);
  assert.ok(c.score >= 0.9);
  assert.equal(c.evidence.contacts[0]?.type, 'pgp_fingerprint');
});

test('same-site pairs, generic handles and handle-only matches stay below the link threshold', () => {
  const authors = [author('a1', 's1', 'admin'), author('a2', 's2', 'Admin'), author('a3', 's1', 'darkmatter'), author('a4', 's1', 'darkmatter2'), author('a5', 's2', 'D4rkMatter')];
  const found = aliasCandidates({ authors, posts: [], entities: [] }, { minScore: 0 });
  assert.ok(!found.some((c) => c.a === 'a1' && c.b === 'a2' && c.score > 0));
  assert.ok(!found.some((c) => (c.a === 'a3' && c.b === 'a4') || (c.a === 'a4' && c.b === 'a3')), 'same-site pair reported');
  const dm = found.find((c) => [c.a, c.b].sort().join() === 'a3,a5');
  assert.ok(dm && dm.score > 0.3 && dm.score < 0.5, `darkmatter/D4rkMatter ${dm?.score}`);
});

test('a contact value posted by many authors is discounted', () => {
  const authors = Array.from({ length: 20 }, (_, i) => author(`a${i}`, `s${i % 2}`, `h${i}x`));
  const posts = authors.map((a) => ({ id: `p-${a.id}`, authorId: a.id, bodyText: '' }));
  const entities = authors.map((a) => ({ postId: `p-${a.id}`, type: 'btc', value: 'bc1qsharedescrowwallet' }));
  const found = aliasCandidates({ authors, posts, entities }, { minScore: 0 });
  assert.ok(found.length > 0);
  for (const c of found) assert.ok(c.score < 0.3, `score ${c.score}`);
});

test('stylometry links the author whose writing habits recur on another site', () => {
  const rng = mulberry32(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const common = ['the', 'exploit', 'works', 'on', 'server', 'version', 'patch', 'shell', 'target', 'bypass', 'with', 'and', 'for', 'new', 'old', 'this'];
  // Each person has idiosyncratic tics (spelling, punctuation, fillers) on top of shared vocabulary.
  const tics = [
    ['imho', ';;', 'kinda', 'ya know', 'w/e'], ['!!!', 'bro', 'lol', 'xD', 'fr fr'], ['—', 'indeed', 'henceforth', 'regards,', 'cf.'],
    ['>>', 'kek', 'ez', 'gg', 'pwnd'], ['...', 'hmm', 'perhaps', 'anyway', 'btw'], ['::', 'okey', 'tnx', 'plz', 'thx'],
    ['**', 'yo', 'legit', 'sus', 'nah'], ['~', 'uwu', 'owo', 'smol', 'heck'],
  ];
  const text = (person: number): string => Array.from({ length: 400 }, () => (rng() < 0.3 ? pick(tics[person]!) : pick(common))).join(' ');
  const authors: ActorAuthor[] = [];
  const posts: Pick<ActorPost, 'id' | 'authorId' | 'bodyText'>[] = [];
  tics.forEach((_, person) => {
    for (const site of ['s1', 's2']) {
      // Unrelated handles on the two sites: only the writing can link them.
      const id = `${site}-${person}`;
      authors.push(author(id, site, `${site === 's1' ? 'alpha' : 'omega'}${person}q${person * 7}`));
      for (let k = 0; k < 3; k++) posts.push({ id: `${id}-${k}`, authorId: id, bodyText: text(person) });
    }
  });
  const found = aliasCandidates({ authors, posts, entities: [] }, { minScore: 0.05 });
  const correct = found.filter((c) => c.a.slice(3) === c.b.slice(3));
  assert.ok(correct.length >= 6, `found ${correct.length} of 8 style links: ${found.map((c) => `${c.a}~${c.b}:${c.score.toFixed(2)}`).join(' ')}`);
  assert.ok(correct.every((c) => (c.evidence.stylometry?.z ?? 0) > 2));
  assert.ok(found.length - correct.length <= 1);
});

test('an added affix ("name_pro", "name-x") does not hide a handle match; short cores are not stripped', () => {
  assert.equal(handleCore('Dantordan50_x'), 'Dantordan50');
  assert.equal(handleCore('Dark_Zero_official'), 'Dark_Zero');
  assert.equal(handleCore('ab_pro'), null);
  assert.equal(handleCore('name_averyverylongtail'), null);
  assert.equal(handleSimilarity('Umqu', 'Umqu_pro').similarity, 1);
  assert.equal(handleSimilarity('Dantordan50_x', 'dant0rdan50').similarity, 1);
  assert.ok(handleSimilarity('Umqu', 'Qutor').similarity < 0.85);
});

test('simulator ground truth: contacts belong to people, not to handles', () => {
  const community = generateCommunity({ seed: 3, now: Date.UTC(2026, 0, 1), size: SIZES.small });
  const owners = new Map<string, Set<string>>();
  for (const forum of community.forums) {
    for (const a of forum.authors) {
      for (const value of [a.contacts.jabber, a.contacts.telegram.toLowerCase()]) {
        const set = owners.get(value) ?? new Set<string>();
        set.add(a.personId);
        owners.set(value, set);
      }
    }
  }
  // No contact value is shared by two people (unrelated users with the same handle included).
  for (const [value, people] of owners) assert.equal(people.size, 1, `${value} shared by ${[...people].join(', ')}`);
  // Key actors reuse theirs across forums, except every third one, who compartmentalises.
  community.keyActors.forEach((actor, k) => {
    const accounts = community.forums.flatMap((f) => f.authors.filter((a) => a.personId === actor.personId));
    const jabbers = new Set(accounts.map((a) => a.contacts.jabber));
    assert.equal(jabbers.size, k % 3 === 2 ? accounts.length : 1, actor.personId);
  });
});
