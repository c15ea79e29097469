// Shipping to the registry layout and serving through pipeline() with onnxruntime-node only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model } from '../../src/ml/model.js';
import { makeDataset } from '../../src/ml/data.js';
import { Trainer } from '../../src/ml/trainer.js';
import { shipModel } from '../../src/ml/ship.js';
import { pipeline } from '../../src/ml/pipeline.js';
import { listModels, readModelCard } from '../../src/ml/registry.js';
import { trainTokenizer } from '../../src/ml/text/tokenizer.js';
import { viterbi } from '../../src/ml/crf.js';
import { tryLoadAddon } from '../../src/ml/native.js';
import { needsAddon, rng } from './helpers.js';

let root = '';
const card = {
  name: 'toy-exploits',
  version: '1.0.0',
  task: 'text-classification' as const,
  licence: 'Apache-2.0',
  data: [{ name: 'synthetic', source: 'test/ml/pipeline.test.ts', licence: 'Apache-2.0' }],
  metrics: [{ name: 'accuracy', value: 1, split: 'train' }],
};
const sell = ['selling exploit', 'selling 0day rce', 'selling fresh exploit kit', 'selling access'];
const ask = ['looking for help', 'how do i learn python', 'looking for a tutorial', 'any good books'];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'tm-models-'));
  if (!tryLoadAddon()) return;
  const texts = [...sell, ...ask];
  const tokenizer = await trainTokenizer(texts.flatMap((t) => [t, t]), { vocabSize: 300 });
  const T = 16;
  const enc = tokenizer.encodeBatch(texts, { maxLength: T });
  const model = Model.create(
    {
      version: 1,
      task: 'classification',
      labels: ['sell', 'ask'],
      input: { kind: 'tokens', vocabSize: tokenizer.vocabSize, seqLen: T, padId: 0 },
      layers: [{ type: 'embedding', dim: 16 }, { type: 'gru', hidden: 8, bidirectional: true }, { type: 'attention_pool', heads: 2, hidden: 8 }, { type: 'linear', units: 2 }],
    },
    { seed: 1 },
  );
  await new Trainer(model, { epochs: 60, batchSize: 8, lr: 1e-2, progress: false }).fit(
    makeDataset(enc.ids, Int32Array.from(texts.map((_, i) => (i < sell.length ? 0 : 1))), T),
  );
  await shipModel({ model, dir: join(root, 'toy-exploits'), card: { ...card, preprocessing: { maxLength: T } }, tokenizer });
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a shipped text classifier serves labels, scores and attention through pipeline()', async (t) => {
  if (!needsAddon(t)) return;
  const { models, problems } = await listModels(root);
  assert.deepEqual(problems, []);
  assert.equal(models[0]!.card.name, 'toy-exploits');
  assert.match(models[0]!.card.code.gitSha, /^[0-9a-f]{7,40}$/);
  const classify = await pipeline('text-classification', join(root, 'toy-exploits'));
  const [a, b] = await classify(['selling exploit', 'looking for help']);
  assert.equal(a!.label, 'sell');
  assert.equal(b!.label, 'ask');
  assert.ok(Math.abs(a!.scores.sell! + a!.scores.ask! - 1) < 1e-6);
  assert.deepEqual(a!.attention!.map((x) => x.token).join(''), 'selling exploit');
  assert.ok(Math.abs(a!.attention!.reduce((s, x) => s + x.weight, 0) - 1) < 1e-4, 'attention over real tokens sums to 1');
  // An empty text (all padding) still gets a finite answer and no attention entries.
  const [empty] = await classify(['']);
  assert.ok(Number.isFinite(empty!.score));
  assert.deepEqual(empty!.attention, []);
  // The worker pool gives the same answers as the in-process session: across batches, and when one
  // call smaller than a batch is split over the workers.
  const inProcess = await pipeline('text-classification', join(root, 'toy-exploits'), { workers: 0 });
  const many = [...sell, ...ask, ...sell];
  const direct = await inProcess(many);
  for (const options of [{ workers: 2, batchSize: 3 }, { workers: 2 }, { workers: 3, batchSize: 256 }]) {
    const pooled = await pipeline('text-classification', join(root, 'toy-exploits'), options);
    const viaPool = await pooled(many);
    assert.deepEqual(viaPool.map((r) => r.label), direct.map((r) => r.label), JSON.stringify(options));
    assert.ok(viaPool.every((r, i) => Math.abs(r.score - direct[i]!.score) < 1e-5), JSON.stringify(options));
    assert.deepEqual(await pooled(['selling exploit']).then((r) => r.map((x) => x.label)), ['sell']);
    await pooled.close();
  }
  await classify.close();
  await inProcess.close();
  await assert.rejects(pipeline('token-classification', join(root, 'toy-exploits')), /model is for 'text-classification'/);
  // A card whose ONNX file is missing fails at load, with the pool as with the in-process session.
  const noOnnx = join(root, 'no-onnx');
  await mkdir(noOnnx);
  for (const f of ['card.json', 'tokenizer.json']) await copyFile(join(root, 'toy-exploits', f), join(noOnnx, f));
  for (const options of [{ workers: 2 }, { workers: 0 }]) {
    await assert.rejects(pipeline('text-classification', noOnnx, options), /no-onnx\/model\.onnx/, JSON.stringify(options));
  }
});

test('serving works without the addon', async (t) => {
  if (!needsAddon(t)) return; // the model is trained with the addon; serving then runs without it
  const script = [
    "import { pipeline } from './src/ml/pipeline.ts';",
    `const c = await pipeline('text-classification', ${JSON.stringify(join(root, 'toy-exploits'))});`,
    "const [r] = await c('selling 0day rce');",
    'console.log(r.label);',
    "const spec = { version: 1, task: 'classification', labels: ['a'], input: { kind: 'features', dim: 2 }, layers: [{ type: 'linear', units: 1 }] };",
    "try { (await import('./src/ml/model.ts')).Model.create(spec); } catch (e) { console.log(e.name); }",
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, THREATMINER_ADDON: '/nonexistent/addon.node' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['sell', 'UserError']);
});

test('model cards are validated, naming the file and field', async () => {
  const dir = join(root, 'broken');
  await rm(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  await writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, date: 'yesterday', spec: {}, code: { gitSha: 'abc1234' } }));
  await assert.rejects(readModelCard(dir), /broken\/card\.json: date: YYYY-MM-DD/);
  await writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, date: '2026-01-01', data: [], spec: {}, code: { gitSha: 'abc1234' } }));
  await assert.rejects(readModelCard(dir), /data: list the training data and its licence/);
  const { problems } = await listModels(root);
  assert.equal(problems.length, 1);
  await rm(dir, { recursive: true, force: true });
  await assert.rejects(readModelCard(join(root, 'nothing')), /no model card here/);
  void readFile;
});

test('Viterbi finds the best path, honouring transitions', () => {
  // Two tags; emissions prefer tag 1 at t=1 slightly, but 0→1 is heavily penalised.
  const em = Float32Array.from([2, 0, 0, 0.5, 1, 0]);
  const crf = { transitions: Float32Array.from([0, -5, 0, 0]), start: Float32Array.from([0, 0]), end: Float32Array.from([0, 0]) };
  assert.deepEqual(viterbi(em, 3, 2, crf), [0, 0, 0]);
  assert.deepEqual(viterbi(em, 3, 2, { ...crf, transitions: new Float32Array(4) }), [0, 1, 0]);
  // Brute force agrees on random tables.
  const r = rng(2);
  for (let trial = 0; trial < 20; trial++) {
    const k = 3;
    const n = 4;
    const e = Float32Array.from({ length: n * k }, () => r() * 4 - 2);
    const tables = { transitions: Float32Array.from({ length: k * k }, () => r() * 4 - 2), start: Float32Array.from({ length: k }, () => r()), end: Float32Array.from({ length: k }, () => r()) };
    let best = -Infinity;
    let bestPath: number[] = [];
    for (let code = 0; code < k ** n; code++) {
      const path = Array.from({ length: n }, (_, i) => Math.floor(code / k ** i) % k);
      let s = tables.start[path[0]!]! + tables.end[path[n - 1]!]!;
      path.forEach((tag, i) => {
        s += e[i * k + tag]!;
        if (i > 0) s += tables.transitions[path[i - 1]! * k + tag]!;
      });
      if (s > best) {
        best = s;
        bestPath = path;
      }
    }
    assert.deepEqual(viterbi(e, n, k, tables), bestPath);
  }
});
