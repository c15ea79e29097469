/** Shared helpers for the ML tests: addon detection and deterministic synthetic data. */
import type { TestContext } from 'node:test';
import { addonUnavailableReason, tryLoadAddon } from '../../src/ml/native.js';
import type { ModelSpec } from '../../src/ml/spec.js';
import { seededRandom } from '../../src/core/random.js';

/** True when the libtorch addon is built; otherwise marks the test skipped with the reason. */
export function needsAddon(t: TestContext): boolean {
  if (tryLoadAddon()) return true;
  t.skip(`libtorch addon not built (${addonUnavailableReason()}); run \`make native\``);
  return false;
}

/** A tiny seeded PRNG so test data is the same on every run. */
export const rng = seededRandom;

/** Token ids with random lengths (1..seqLen) and padding (id 0) after them. */
export function randomTokens(rows: number, seqLen: number, vocab: number, seed = 1): Int32Array {
  const r = rng(seed);
  const x = new Int32Array(rows * seqLen);
  for (let i = 0; i < rows; i++) {
    const len = 1 + Math.floor(r() * seqLen);
    for (let t = 0; t < len; t++) x[i * seqLen + t] = 1 + Math.floor(r() * (vocab - 1));
  }
  return x;
}

export function tokenSpec(layers: ModelSpec['layers'], options: { labels?: number; seqLen?: number; vocab?: number; task?: ModelSpec['task'] } = {}): ModelSpec {
  const labels = options.labels ?? 3;
  return {
    version: 1,
    task: options.task ?? 'classification',
    labels: Array.from({ length: labels }, (_, i) => `l${i}`),
    input: { kind: 'tokens', vocabSize: options.vocab ?? 40, seqLen: options.seqLen ?? 12, padId: 0 },
    layers,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
