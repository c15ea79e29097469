import { InputError } from '../../core/errors.js';

/**
 * Single-label classification metrics over string labels. Conventions follow scikit-learn
 * (`precision_recall_fscore_support`, `classification_report`) so numbers are comparable with the
 * literature: a ratio with a zero denominator is 0, micro averages pool the counts of the listed
 * labels, weighted averages weight each class by its true support.
 */

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Number of true instances of the class. */
  readonly support: number;
}

export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ConfusionMatrix {
  /** Row and column order of `counts`. */
  readonly labels: readonly string[];
  /** counts[i][j] = number of items whose true label is labels[i] and predicted label labels[j]. */
  readonly counts: readonly (readonly number[])[];
}

export interface ClassificationReport {
  readonly n: number;
  readonly accuracy: number;
  readonly labels: readonly string[];
  readonly perClass: Readonly<Record<string, ClassMetrics>>;
  readonly macro: AveragedMetrics;
  readonly micro: AveragedMetrics;
  readonly weighted: AveragedMetrics;
  readonly confusion: ConfusionMatrix;
}

export interface ClassificationOptions {
  /**
   * Labels to report, in this order. Defaults to the sorted union of true and predicted labels.
   * Items whose true and predicted labels are both outside the list still count towards accuracy.
   */
  readonly labels?: readonly string[];
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function f1Score(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function checkPaired(yTrue: readonly unknown[], yPred: readonly unknown[], what: string): void {
  if (yTrue.length !== yPred.length) {
    throw new InputError(what, `${yTrue.length} true labels but ${yPred.length} predictions`);
  }
}

export function accuracy(yTrue: readonly string[], yPred: readonly string[]): number {
  checkPaired(yTrue, yPred, 'accuracy');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return ratio(hits, yTrue.length);
}

export function confusionMatrix(
  yTrue: readonly string[],
  yPred: readonly string[],
  options: ClassificationOptions = {},
): ConfusionMatrix {
  checkPaired(yTrue, yPred, 'confusion matrix');
  const labels = options.labels ?? [...new Set([...yTrue, ...yPred])].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  if (index.size !== labels.length) throw new InputError('confusion matrix', 'labels contain duplicates');
  const counts = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let k = 0; k < yTrue.length; k++) {
    const i = index.get(yTrue[k] as string);
    const j = index.get(yPred[k] as string);
    if (i === undefined || j === undefined) continue;
    (counts[i] as number[])[j] = ((counts[i] as number[])[j] as number) + 1;
  }
  return { labels, counts };
}

export function classificationReport(
  yTrue: readonly string[],
  yPred: readonly string[],
  options: ClassificationOptions = {},
): ClassificationReport {
  checkPaired(yTrue, yPred, 'classification report');
  const confusion = confusionMatrix(yTrue, yPred, options);
  const { labels } = confusion;
  // Per-class counts come from full passes, not the matrix, so predictions of labels outside the
  // list still count as false positives/negatives of the listed ones (as in scikit-learn).
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  for (let k = 0; k < yTrue.length; k++) {
    const t = yTrue[k] as string;
    const p = yPred[k] as string;
    actual.set(t, (actual.get(t) ?? 0) + 1);
    predicted.set(p, (predicted.get(p) ?? 0) + 1);
    if (t === p) tp.set(t, (tp.get(t) ?? 0) + 1);
  }
  const perClass: Record<string, ClassMetrics> = {};
  let sumTp = 0;
  let sumPred = 0;
  let sumTrue = 0;
  let macroP = 0;
  let macroR = 0;
  let macroF = 0;
  let wP = 0;
  let wR = 0;
  let wF = 0;
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const p = predicted.get(label) ?? 0;
    const s = actual.get(label) ?? 0;
    const precision = ratio(t, p);
    const recall = ratio(t, s);
    const f1 = f1Score(precision, recall);
    perClass[label] = { precision, recall, f1, support: s };
    sumTp += t;
    sumPred += p;
    sumTrue += s;
    macroP += precision;
    macroR += recall;
    macroF += f1;
    wP += precision * s;
    wR += recall * s;
    wF += f1 * s;
  }
  const k = labels.length;
  const microP = ratio(sumTp, sumPred);
  const microR = ratio(sumTp, sumTrue);
  return {
    n: yTrue.length,
    accuracy: accuracy(yTrue, yPred),
    labels,
    perClass,
    macro: { precision: ratio(macroP, k), recall: ratio(macroR, k), f1: ratio(macroF, k), support: sumTrue },
    micro: { precision: microP, recall: microR, f1: f1Score(microP, microR), support: sumTrue },
    weighted: {
      precision: ratio(wP, sumTrue),
      recall: ratio(wR, sumTrue),
      f1: ratio(wF, sumTrue),
      support: sumTrue,
    },
    confusion,
  };
}
