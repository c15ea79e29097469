// Spec validation (no addon needed) and the missing-addon error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { normaliseSpec } from '../../src/ml/spec.js';
import { InputError } from '../../src/core/errors.js';
import { tokenSpec } from './helpers.js';

function specError(layers: Parameters<typeof tokenSpec>[0], options: Parameters<typeof tokenSpec>[1] = {}): string {
  try {
    normaliseSpec(tokenSpec(layers, options), 'my-model/spec.json');
  } catch (err) {
    assert.ok(err instanceof InputError);
    return err.message;
  }
  assert.fail('spec was accepted');
}

test('a valid spec is normalised with names and inferred widths', () => {
  const s = normaliseSpec(tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'lstm', hidden: 4, bidirectional: true }, { type: 'attention_pool', heads: 2, hidden: 5 }, { type: 'linear', units: 3 }]));
  assert.deepEqual(s.layers.map((l) => [l.name, l.inDim, l.outDim]), [
    ['embedding0', 0, 8],
    ['lstm1', 8, 8],
    ['attention_pool2', 8, 16],
    ['linear3', 16, 3],
  ]);
  assert.equal(s.hasAttention, true);
  assert.equal(s.perToken, false);
});

test('bad specs get errors naming the file and the layer', () => {
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'conv1d', name: 'conv', filters: 4, kernel: 4 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]), /^my-model\/spec\.json: layer 1 'conv' \(conv1d\): kernel 4 must be odd/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'transformer', heads: 3, ff: 8 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]), /layer 1 'transformer1' \(transformer\): width 8 is not divisible by 3 heads/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'pool', op: 'max' }, { type: 'lstm', hidden: 3 }, { type: 'linear', units: 3 }]), /layer 2 'lstm2' \(lstm\): needs a sequence/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 5 }]), /layer 2 'linear2' \(linear\): outputs width 5 but the spec has 3 labels/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'linear', units: 3 }]), /add a pool or attention_pool layer/);
  assert.match(specError([{ type: 'lstm', hidden: 3 }]), /layer 0 'lstm0' \(lstm\): token input must go through an embedding layer first/);
  // Schema errors (zod) also name the layer and the field.
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: -1, kernel: 3 } as never]), /layer 1 \(conv1d\), field filters:/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'bogus' } as never]), /layer 1 \(bogus\)/);
  assert.match(specError([{ type: 'embedding', dim: 8 }, { type: 'crf' }, { type: 'linear', units: 3 }], { task: 'tagging' }), /the CRF head must be the last layer/);
  assert.match(specError([{ type: 'embedding', name: 'x', dim: 8 }, { type: 'pool', name: 'x', op: 'max' }, { type: 'linear', units: 3 }]), /layer 1 'x' \(pool\): duplicate layer name/);
});

test('without the addon, training throws a UserError that says how to install it', () => {
  const script = [
    "import { Model } from './src/ml/model.ts';",
    "import { tokenSpec } from './test/ml/helpers.ts';",
    'try {',
    "  Model.create(tokenSpec([{ type: 'embedding', dim: 4 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]));",
    "  console.log('CREATED');",
    '} catch (e) { console.log(`${e.name}: ${e.message}`); }',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, THREATMINER_ADDON: '/nonexistent/threatminer_torch.node' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^UserError: training needs the libtorch addon/);
  assert.match(r.stdout, /apt-get install libtorch-dev libopenblas0-pthread/);
  assert.match(r.stdout, /make native/);
});
