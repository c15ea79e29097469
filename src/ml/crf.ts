/**
 * Viterbi decoding for CRF heads. Training computes the CRF likelihood in libtorch; the exported
 * ONNX model outputs emissions plus the transition tables, and the best tag path is found here, so
 * serving stays a plain onnxruntime call.
 */
export interface CrfTables {
  /** [K,K] row-major: score of moving from tag i to tag j. */
  transitions: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

/**
 * Best tag sequence for one sample. `emissions` is [T,K] row-major (T ≥ length); only the first
 * `length` positions are decoded (padding is ignored, as in training).
 */
export function viterbi(emissions: Float32Array, length: number, k: number, crf: CrfTables): number[] {
  const n = Math.max(1, length);
  let score = new Float64Array(k);
  for (let j = 0; j < k; j++) score[j] = crf.start[j]! + emissions[j]!;
  const back = new Int32Array(n * k);
  for (let t = 1; t < n; t++) {
    const next = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < k; i++) {
        const s = score[i]! + crf.transitions[i * k + j]!;
        if (s > best) {
          best = s;
          arg = i;
        }
      }
      next[j] = best + emissions[t * k + j]!;
      back[t * k + j] = arg;
    }
    score = next;
  }
  let last = 0;
  let best = -Infinity;
  for (let j = 0; j < k; j++) {
    const s = score[j]! + crf.end[j]!;
    if (s > best) {
      best = s;
      last = j;
    }
  }
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]!]!;
  return path;
}

/** Per-position argmax for tagging models without a CRF. */
export function argmaxTags(emissions: Float32Array, length: number, k: number): number[] {
  const path: number[] = [];
  for (let t = 0; t < length; t++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (emissions[t * k + j]! > emissions[t * k + best]!) best = j;
    path.push(best);
  }
  return path;
}
