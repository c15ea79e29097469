// `threatminer ml train|models|classify` end to end on a tiny JSONL corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsAddon } from './helpers.js';

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/threatminer.js', ...args], { encoding: 'utf8', input, env: { ...process.env, THREATMINER_THREADS: '1' } });
}

test('ml train ships a model that ml models lists and ml classify serves', async (t) => {
  if (!needsAddon(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'tm-ml-cli-'));
  try {
    const rows = [];
    for (let i = 0; i < 60; i++) {
      rows.push({ text: `selling fresh exploit number ${i} rce`, label: 'sell' });
      rows.push({ text: `where can I learn about topic ${i}`, label: 'ask' });
    }
    await writeFile(join(dir, 'train.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    await writeFile(
      join(dir, 'spec.json'),
      JSON.stringify({
        version: 1,
        task: 'classification',
        labels: ['sell', 'ask'],
        input: { kind: 'tokens', vocabSize: 2, seqLen: 1, padId: 0 },
        layers: [{ type: 'embedding', dim: 16 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'relu' }, { type: 'pool', op: 'max' }, { type: 'linear', units: 2 }],
      }),
    );
    const out = join(dir, 'models', 'toy');
    const r = cli(['ml', 'train', '--spec', join(dir, 'spec.json'), '--data', join(dir, 'train.jsonl'), '--out', out, '--epochs', '10', '--batch-size', '8', '--lr', '0.01', '--max-length', '16', '--vocab-size', '300', '--licence', 'Apache-2.0', '--data-licence', 'CC0-1.0']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /shipped .*toy \(best epoch \d+, validation accuracy 1\.0000\)/);
    const list = cli(['ml', 'models', '--dir', join(dir, 'models')]);
    assert.match(list.stdout, /^toy@1\.0\.0 {2}text-classification {2}\d{4}-\d{2}-\d{2} {2}[0-9a-f]{7} {2}accuracy 1\.000 \(validation\)/);
    const c = cli(['ml', 'classify', out, '--json'], 'selling exploit rce\nwhere can I learn\n');
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(c.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { label: string }).label), ['sell', 'ask']);
    const bad = cli(['ml', 'train', '--spec', join(dir, 'nope.json'), '--data', join(dir, 'train.jsonl'), '--out', out, '--licence', 'x', '--data-licence', 'y']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /nope\.json: cannot read the model spec/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
