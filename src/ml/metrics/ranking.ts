import { InputError } from '../../core/errors.js';
import { ratio } from './classification.js';

/**
 * Threshold-free and threshold metrics for a binary score (higher = more positive). ROC-AUC uses
 * average ranks for ties (equal to the trapezoidal area under the ROC curve, as scikit-learn's
 * `roc_auc_score`); PR-AUC is average precision, the step-wise area that scikit-learn's
 * `average_precision_score` computes, which does not interpolate optimistically between points.
 */

function check(yTrue: readonly boolean[], scores: ArrayLike<number>, what: string): { pos: number; neg: number } {
  if (yTrue.length !== scores.length) {
    throw new InputError(what, `${yTrue.length} labels but ${scores.length} scores`);
  }
  let pos = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(scores[i] as number)) throw new InputError(what, `score ${i} is not a finite number`);
    if (yTrue[i]) pos++;
  }
  return { pos, neg: yTrue.length - pos };
}

/** Indices sorted by descending score; ties keep input order. */
function descending(scores: ArrayLike<number>): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order;
}

export function rocAuc(yTrue: readonly boolean[], scores: ArrayLike<number>): number {
  const { pos, neg } = check(yTrue, scores, 'ROC-AUC');
  if (pos === 0 || neg === 0) throw new InputError('ROC-AUC', 'needs at least one positive and one negative example');
  const order = descending(scores);
  // Mann–Whitney U: count, for each positive, the negatives scored below it (ties count half).
  let auc = 0;
  let negBelowGroup = neg;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i] as number] as number;
    let j = i;
    let p = 0;
    let q = 0;
    while (j < order.length && scores[order[j] as number] === s) {
      if (yTrue[order[j] as number]) p++;
      else q++;
      j++;
    }
    negBelowGroup -= q;
    auc += p * (negBelowGroup + q / 2);
    i = j;
  }
  return auc / (pos * neg);
}

export interface CurvePoint {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly fpr: number;
}

/** One point per distinct score, descending: predicting positive when score >= threshold. */
export function thresholdCurve(yTrue: readonly boolean[], scores: ArrayLike<number>): CurvePoint[] {
  const { pos, neg } = check(yTrue, scores, 'threshold curve');
  const order = descending(scores);
  const points: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i] as number] as number;
    while (i < order.length && scores[order[i] as number] === s) {
      if (yTrue[order[i] as number]) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold: s, precision: ratio(tp, tp + fp), recall: ratio(tp, pos), fpr: ratio(fp, neg) });
  }
  return points;
}

/** Average precision: Σ (R_n − R_{n−1}) · P_n over descending distinct thresholds. */
export function prAuc(yTrue: readonly boolean[], scores: ArrayLike<number>): number {
  const { pos } = check(yTrue, scores, 'PR-AUC');
  if (pos === 0) throw new InputError('PR-AUC', 'needs at least one positive example');
  let ap = 0;
  let prevRecall = 0;
  for (const pt of thresholdCurve(yTrue, scores)) {
    ap += (pt.recall - prevRecall) * pt.precision;
    prevRecall = pt.recall;
  }
  return ap;
}

export interface ThresholdCounts {
  readonly threshold: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  readonly fpr: number;
  readonly tpr: number;
  readonly precision: number;
}

/** Counts and rates when predicting positive for score >= threshold. */
export function atThreshold(yTrue: readonly boolean[], scores: ArrayLike<number>, threshold: number): ThresholdCounts {
  check(yTrue, scores, 'threshold metrics');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    if (yTrue[i]) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return { threshold, tp, fp, tn, fn, fpr: ratio(fp, fp + tn), tpr: ratio(tp, tp + fn), precision: ratio(tp, tp + fp) };
}

export function fprAtThreshold(yTrue: readonly boolean[], scores: ArrayLike<number>, threshold: number): number {
  return atThreshold(yTrue, scores, threshold).fpr;
}

/**
 * One-vs-rest ROC-AUC per class from a probability matrix (rows = items, columns = `labels`),
 * and their unweighted mean. Classes absent from `yTrue` (or present in every row) are skipped
 * because their AUC is undefined; `skipped` lists them.
 */
export function rocAucOvr(
  yTrue: readonly string[],
  probabilities: readonly ArrayLike<number>[],
  labels: readonly string[],
): { macro: number; perClass: Record<string, number>; skipped: string[] } {
  if (yTrue.length !== probabilities.length) {
    throw new InputError('ROC-AUC (one-vs-rest)', `${yTrue.length} labels but ${probabilities.length} probability rows`);
  }
  const perClass: Record<string, number> = {};
  const skipped: string[] = [];
  let sum = 0;
  labels.forEach((label, c) => {
    const truth = yTrue.map((t) => t === label);
    const pos = truth.filter(Boolean).length;
    if (pos === 0 || pos === truth.length) {
      skipped.push(label);
      return;
    }
    const scores = probabilities.map((row) => {
      if (row.length !== labels.length) {
        throw new InputError('ROC-AUC (one-vs-rest)', `a probability row has ${row.length} columns, expected ${labels.length}`);
      }
      return row[c] as number;
    });
    const auc = rocAuc(truth, scores);
    perClass[label] = auc;
    sum += auc;
  });
  const used = labels.length - skipped.length;
  return { macro: used === 0 ? Number.NaN : sum / used, perClass, skipped };
}
