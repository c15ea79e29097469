import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentCjk, textForIndex } from '../../src/store/search-text.js';

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
