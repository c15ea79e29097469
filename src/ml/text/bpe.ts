/**
 * Byte-level BPE: every text is representable (no unknown tokens), merges are learned from a
 * corpus within pre-tokenised words (see pretokenize.ts). Ids: special tokens first, then the 256
 * bytes, then one id per learned merge in the order learned.
 */
import { pretokenize } from './pretokenize.js';

export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<cls>', '<sep>', '<mask>'] as const;
const BYTE_BASE = SPECIAL_TOKENS.length;
const FIRST_MERGE = BYTE_BASE + 256;

const utf8 = new TextEncoder();

function wordSymbols(word: string): number[] {
  return Array.from(utf8.encode(word), (b) => b + BYTE_BASE);
}

/** A max-heap of [count, pair] with lazy deletion (stale entries are skipped when popped). */
class PairHeap {
  private readonly items: Array<[number, number]> = [];
  push(count: number, pair: number): void {
    const a = this.items;
    a.push([count, pair]);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): [number, number] | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  // Higher count first; ties broken by the smaller pair key so training is deterministic.
  private before(x: [number, number], y: [number, number]): boolean {
    return x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]);
  }
}

const PAIR_BASE = 1 << 21;
const pairKey = (a: number, b: number) => a * PAIR_BASE + b;

export interface BpeTrainOptions {
  vocabSize: number;
  /** Pairs seen fewer times than this are never merged. */
  minFrequency?: number;
}

/** Learns merges from word counts (word → frequency). Returns merges as [left, right] id pairs. */
export function learnMerges(wordCounts: Map<string, number>, options: BpeTrainOptions): Array<[number, number]> {
  const target = options.vocabSize - FIRST_MERGE;
  const minFreq = options.minFrequency ?? 2;
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [w, c] of wordCounts) {
    const s = wordSymbols(w);
    if (s.length > 1) {
      words.push(s);
      freqs.push(c);
    }
  }
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const add = (key: number, wi: number, c: number) => {
    counts.set(key, (counts.get(key) ?? 0) + c);
    let s = where.get(key);
    if (!s) where.set(key, (s = new Set()));
    s.add(wi);
  };
  words.forEach((s, wi) => {
    for (let i = 0; i + 1 < s.length; i++) add(pairKey(s[i]!, s[i + 1]!), wi, freqs[wi]!);
  });
  const heap = new PairHeap();
  for (const [k, c] of counts) heap.push(c, k);
  const merges: Array<[number, number]> = [];
  while (merges.length < target) {
    const top = heap.pop();
    if (!top) break;
    const [c, key] = top;
    if (counts.get(key) !== c) continue; // stale
    if (c < minFreq) break;
    const a = Math.floor(key / PAIR_BASE);
    const b = key % PAIR_BASE;
    const id = FIRST_MERGE + merges.length;
    merges.push([a, b]);
    const touched = new Set<number>();
    for (const wi of where.get(key) ?? []) {
      const s = words[wi]!;
      const f = freqs[wi]!;
      // Remove this word's pairs, merge, add them back: simple and exact.
      for (let i = 0; i + 1 < s.length; i++) {
        const k = pairKey(s[i]!, s[i + 1]!);
        counts.set(k, counts.get(k)! - f);
        touched.add(k);
      }
      const merged: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          merged.push(id);
          i++;
        } else merged.push(s[i]!);
      }
      words[wi] = merged;
      for (let i = 0; i + 1 < merged.length; i++) {
        const k = pairKey(merged[i]!, merged[i + 1]!);
        add(k, wi, f);
        touched.add(k);
      }
    }
    counts.delete(key);
    where.delete(key);
    for (const k of touched) {
      const n = counts.get(k);
      if (n === undefined) continue;
      if (n <= 0) {
        counts.delete(k);
        where.delete(k);
      } else heap.push(n, k);
    }
  }
  return merges;
}

export class BpeModel {
  private readonly ranks = new Map<number, number>();
  private readonly pieces: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(readonly merges: ReadonlyArray<readonly [number, number]>) {
    for (let i = 0; i < BYTE_BASE; i++) this.pieces.push(new Uint8Array(0));
    for (let b = 0; b < 256; b++) this.pieces.push(Uint8Array.of(b));
    merges.forEach(([a, b], i) => {
      this.ranks.set(pairKey(a, b), i);
      const pa = this.pieces[a];
      const pb = this.pieces[b];
      if (!pa || !pb) throw new Error(`merge ${i} refers to unknown ids ${a}, ${b}`);
      const p = new Uint8Array(pa.length + pb.length);
      p.set(pa);
      p.set(pb, pa.length);
      this.pieces.push(p);
    });
  }

  get vocabSize(): number {
    return FIRST_MERGE + this.merges.length;
  }

  /** Applies merges to one word, lowest rank first (as learned). */
  encodeWord(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let s = wordSymbols(word);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = this.ranks.get(pairKey(s[i]!, s[i + 1]!));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const id = FIRST_MERGE + bestRank;
      const [a, b] = this.merges[bestRank]!;
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(s[i]!);
      }
      s = next;
    }
    if (this.cache.size > 50_000) this.cache.clear(); // bounded: forum text has a long tail
    this.cache.set(word, s);
    return s;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const w of pretokenize(text)) for (const id of this.encodeWord(w)) out.push(id);
    return out;
  }

  /** Bytes of a token (empty for special tokens). */
  piece(id: number): Uint8Array {
    return this.pieces[id] ?? new Uint8Array(0);
  }
}
