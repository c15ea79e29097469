import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ftsTextFor, MAX_INDEXED_CHARS, segmentCjk, textForIndex } from '../../src/store/search-text.js';

/** The general (Unicode) path, which the ASCII fast path must match word for word. */
const general = (text: string) => segmentCjk(text).replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim();

test('ASCII text is split into the same words as by the Unicode path', () => {
  const samples = [
    'CVE-2021-44228 on evil.com, user@mail.ru: $500 (obo)!',
    '  leading and trailing  ',
    'tabs\tand\nnewlines\r\nand_underscores~and\u007fdel',
    'x',
    '---',
  ];
  let seed = 7;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 500; i++) samples.push(Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(random() * 128))).join(''));
  for (const s of samples) assert.equal(textForIndex(s), general(s), JSON.stringify(s));
});

test('non-ASCII text keeps the Unicode path (CJK characters become words, accents stay in words)', () => {
  assert.equal(textForIndex('漏洞 exploit'), '漏 洞 exploit');
  assert.equal(textForIndex('café—résumé'), 'café résumé');
  assert.equal(textForIndex('ascii then é'), 'ascii then é');
});

/** Every (term, row, column, offset) SQLite's full-text index holds, with the store's tokenizer settings. */
function indexed(texts: readonly string[]): string[] {
  const db = new BetterSqlite3(':memory:');
  try {
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')");
    db.exec("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')");
    const insert = db.prepare('INSERT INTO t (rowid, body) VALUES (?, ?)');
    texts.forEach((text, i) => insert.run(i + 1, text));
    return db.prepare<[], { term: string; doc: number; col: string; offset: number }>('SELECT term, doc, col, offset FROM v ORDER BY doc, offset').all()
      .map((r) => `${r.term}|${r.doc}|${r.col}|${r.offset}`);
  } finally {
    db.close();
  }
}

test('ASCII text goes into the SQLite index as it is: the same terms at the same offsets as its textForIndex form', () => {
  let seed = 11;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const samples = ['CVE-2021-44228 on evil.com, user@mail.ru: $500 (obo)!', 'snake_case and kebab-case', 'A\u0000B\u001fC\u007fD', '   ', '-- a --'];
  for (let i = 0; i < 300; i++) samples.push(Array.from({ length: 60 }, () => String.fromCharCode(Math.floor(random() * 128))).join(''));
  for (const s of samples) assert.equal(ftsTextFor(s), null, JSON.stringify(s));
  const instances = indexed(samples);
  assert.ok(instances.length > 3000, 'the samples produce terms');
  assert.deepEqual(instances, indexed(samples.map((s) => textForIndex(s))));
});

test('ftsTextFor keeps textForIndex for what unicode61 would split differently, and bounds huge text', () => {
  assert.equal(ftsTextFor(null), null);
  assert.equal(ftsTextFor(''), null);
  assert.equal(ftsTextFor('漏洞 exploit'), '漏 洞 exploit');
  assert.equal(ftsTextFor('café—résumé'), 'café résumé');
  const huge = 'word '.repeat(MAX_INDEXED_CHARS);
  assert.equal(ftsTextFor(huge)!.length, textForIndex(huge).length);
  assert.ok(ftsTextFor(huge)!.length <= MAX_INDEXED_CHARS);
});
