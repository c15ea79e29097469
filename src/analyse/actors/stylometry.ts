/**
 * Character n-gram writing-style profiles (the standard authorship-attribution baseline):
 * per author, counts of character 3-grams of the lower-cased text, hashed into a fixed number
 * of buckets, weighted by sublinear tf × idf over authors and L2-normalised. Cosine between
 * profiles is then compared with the distribution over unrelated pairs (a z-score), because
 * raw cosines of same-language authors are all fairly high.
 */
export const STYLE_DIMENSIONS = 4096;
const N = 3;

export function rawProfile(texts: readonly string[], maxChars: number): { counts: Float32Array; chars: number } {
  const counts = new Float32Array(STYLE_DIMENSIONS);
  let used = 0;
  for (const text of texts) {
    if (used >= maxChars) break;
    const t = text.slice(0, maxChars - used).toLowerCase().replace(/\s+/g, ' ');
    used += t.length;
    for (let i = 0; i + N <= t.length; i++) {
      // FNV-1a over the 3 UTF-16 code units.
      let h = 0x811c9dc5;
      for (let k = 0; k < N; k++) h = Math.imul(h ^ t.charCodeAt(i + k), 0x01000193);
      counts[(h >>> 0) % STYLE_DIMENSIONS]! += 1;
    }
  }
  return { counts, chars: used };
}

/** Applies sublinear tf × idf (idf from the given profiles) and L2-normalises, in place. */
export function weightProfiles(profiles: readonly Float32Array[]): void {
  const df = new Float64Array(STYLE_DIMENSIONS);
  for (const p of profiles) for (let d = 0; d < STYLE_DIMENSIONS; d++) if (p[d]! > 0) df[d]! += 1;
  const idf = new Float64Array(STYLE_DIMENSIONS);
  for (let d = 0; d < STYLE_DIMENSIONS; d++) idf[d] = Math.log((1 + profiles.length) / (1 + df[d]!)) + 1;
  for (const p of profiles) {
    let norm = 0;
    for (let d = 0; d < STYLE_DIMENSIONS; d++) {
      const v = p[d]! > 0 ? (1 + Math.log(p[d]!)) * idf[d]! : 0;
      p[d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < STYLE_DIMENSIONS; d++) p[d]! /= norm;
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < STYLE_DIMENSIONS; d++) s += a[d]! * b[d]!;
  return s;
}
