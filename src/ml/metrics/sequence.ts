import { InputError } from '../../core/errors.js';
import { f1Score, ratio, type AveragedMetrics, type ClassMetrics } from './classification.js';

/**
 * Entity-level (seqeval-style) metrics for tagged sequences. An entity counts as correct only if
 * its type and its exact token span match. Two extraction modes:
 * - `conlleval` (seqeval's default): lenient like the CoNLL perl script — an `I-X` after `O` or
 *   after another type starts a new entity; works for IOB1, IOB2 and IOBES tags.
 * - `strict` (seqeval `mode='strict'`): only well-formed entities of the scheme count
 *   (IOB2: B-X I-X*; IOBES: S-X or B-X I-X* E-X); malformed fragments are dropped.
 */

export type TagScheme = 'IOB2' | 'IOBES';
export type EntityMode = 'conlleval' | 'strict';

export interface Entity {
  readonly type: string;
  /** First token index. */
  readonly start: number;
  /** One past the last token index. */
  readonly end: number;
}

function splitTag(tag: string): { prefix: string; type: string } {
  if (tag === 'O' || tag === '') return { prefix: 'O', type: '' };
  const prefix = tag[0] as string;
  // seqeval: the type is what follows the prefix and one separator ('B-PER' → 'PER').
  const rest = tag.slice(1);
  const type = rest.startsWith('-') ? rest.slice(1) : rest;
  return { prefix, type: type === '' ? '_' : type };
}

function endsChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevType !== type;
}

function startsChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && prevType !== type;
}

/** seqeval's `get_entities`: lenient chunking of one tag sequence. */
export function entitiesConlleval(tags: readonly string[]): Entity[] {
  const out: Entity[] = [];
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  for (let i = 0; i <= tags.length; i++) {
    const { prefix, type } = i < tags.length ? splitTag(tags[i] as string) : { prefix: 'O', type: '' };
    if (endsChunk(prevTag, prefix, prevType, type) && prevTag !== 'O') out.push({ type: prevType, start: begin, end: i });
    if (startsChunk(prevTag, prefix, prevType, type)) begin = i;
    prevTag = prefix;
    prevType = type;
  }
  return out;
}

/** Well-formed entities only, per scheme. */
export function entitiesStrict(tags: readonly string[], scheme: TagScheme): Entity[] {
  const out: Entity[] = [];
  let open: { type: string; start: number } | null = null;
  for (let i = 0; i < tags.length; i++) {
    const { prefix, type } = splitTag(tags[i] as string);
    if (prefix === 'I' && open !== null && open.type === type) continue;
    if (prefix === 'E' && scheme === 'IOBES' && open !== null && open.type === type) {
      out.push({ type, start: open.start, end: i + 1 });
      open = null;
      continue;
    }
    // Anything else closes an open IOB2 entity; an unfinished IOBES entity is malformed and dropped.
    if (open !== null && scheme === 'IOB2') out.push({ type: open.type, start: open.start, end: i });
    open = null;
    if (prefix === 'B') open = { type, start: i };
    else if (prefix === 'S' && scheme === 'IOBES') out.push({ type, start: i, end: i + 1 });
  }
  if (open !== null && scheme === 'IOB2') out.push({ type: open.type, start: open.start, end: tags.length });
  return out;
}

export interface EntityReport {
  readonly perType: Readonly<Record<string, ClassMetrics>>;
  readonly types: readonly string[];
  readonly micro: AveragedMetrics;
  readonly macro: AveragedMetrics;
  readonly weighted: AveragedMetrics;
  /** Token-level accuracy over all tags. */
  readonly tokenAccuracy: number;
  readonly trueEntities: number;
  readonly predictedEntities: number;
}

export interface EntityOptions {
  readonly mode?: EntityMode;
  /** Required for `strict` mode. */
  readonly scheme?: TagScheme;
}

export function entityReport(
  yTrue: readonly (readonly string[])[],
  yPred: readonly (readonly string[])[],
  options: EntityOptions = {},
): EntityReport {
  if (yTrue.length !== yPred.length) {
    throw new InputError('entity metrics', `${yTrue.length} true sequences but ${yPred.length} predicted`);
  }
  const mode = options.mode ?? 'conlleval';
  if (mode === 'strict' && options.scheme === undefined) throw new InputError('entity metrics', 'strict mode needs a tag scheme (IOB2 or IOBES)');
  const extract = (tags: readonly string[]): Entity[] =>
    mode === 'strict' ? entitiesStrict(tags, options.scheme as TagScheme) : entitiesConlleval(tags);
  const trueCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  const hitCount = new Map<string, number>();
  let tokens = 0;
  let tokenHits = 0;
  yTrue.forEach((seqTrue, s) => {
    const seqPred = yPred[s] as readonly string[];
    if (seqTrue.length !== seqPred.length) {
      throw new InputError('entity metrics', `sequence ${s} has ${seqTrue.length} true tags but ${seqPred.length} predicted`);
    }
    for (let i = 0; i < seqTrue.length; i++) {
      tokens++;
      if (seqTrue[i] === seqPred[i]) tokenHits++;
    }
    const key = (e: Entity): string => `${e.type}\u0000${e.start}\u0000${e.end}`;
    const truth = new Set<string>();
    for (const e of extract(seqTrue)) {
      truth.add(key(e));
      trueCount.set(e.type, (trueCount.get(e.type) ?? 0) + 1);
    }
    for (const e of extract(seqPred)) {
      predCount.set(e.type, (predCount.get(e.type) ?? 0) + 1);
      if (truth.has(key(e))) hitCount.set(e.type, (hitCount.get(e.type) ?? 0) + 1);
    }
  });
  const types = [...new Set([...trueCount.keys(), ...predCount.keys()])].sort();
  const perType: Record<string, ClassMetrics> = {};
  let tp = 0;
  let np = 0;
  let nt = 0;
  const sums = { p: 0, r: 0, f: 0, wp: 0, wr: 0, wf: 0 };
  for (const type of types) {
    const hits = hitCount.get(type) ?? 0;
    const pred = predCount.get(type) ?? 0;
    const support = trueCount.get(type) ?? 0;
    const precision = ratio(hits, pred);
    const recall = ratio(hits, support);
    const f1 = f1Score(precision, recall);
    perType[type] = { precision, recall, f1, support };
    tp += hits;
    np += pred;
    nt += support;
    sums.p += precision;
    sums.r += recall;
    sums.f += f1;
    sums.wp += precision * support;
    sums.wr += recall * support;
    sums.wf += f1 * support;
  }
  const microP = ratio(tp, np);
  const microR = ratio(tp, nt);
  return {
    perType,
    types,
    micro: { precision: microP, recall: microR, f1: f1Score(microP, microR), support: nt },
    macro: { precision: ratio(sums.p, types.length), recall: ratio(sums.r, types.length), f1: ratio(sums.f, types.length), support: nt },
    weighted: { precision: ratio(sums.wp, nt), recall: ratio(sums.wr, nt), f1: ratio(sums.wf, nt), support: nt },
    tokenAccuracy: ratio(tokenHits, tokens),
    trueEntities: nt,
    predictedEntities: np,
  };
}
