import { InputError } from '../../core/errors.js';

/**
 * Expected calibration error with equal-width confidence bins (Guo et al. 2017): the
 * support-weighted mean gap between accuracy and mean confidence per bin. Bin b covers
 * (b/B, (b+1)/B], with confidence 0 falling into the first bin.
 */

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence of the bin's items (0 when empty). */
  readonly confidence: number;
  /** Fraction of the bin's items that were correct (0 when empty). */
  readonly accuracy: number;
}

export interface Calibration {
  readonly ece: number;
  /** Largest per-bin gap among non-empty bins. */
  readonly mce: number;
  readonly bins: readonly CalibrationBin[];
}

export function calibration(confidences: ArrayLike<number>, correct: readonly boolean[], nBins = 10): Calibration {
  if (confidences.length !== correct.length) {
    throw new InputError('calibration', `${confidences.length} confidences but ${correct.length} outcomes`);
  }
  if (!Number.isInteger(nBins) || nBins < 1) throw new InputError('calibration', `bin count must be a positive integer, got ${nBins}`);
  const count = new Array<number>(nBins).fill(0);
  const confSum = new Array<number>(nBins).fill(0);
  const hits = new Array<number>(nBins).fill(0);
  for (let i = 0; i < correct.length; i++) {
    const c = confidences[i] as number;
    if (!(c >= 0 && c <= 1)) throw new InputError('calibration', `confidence ${i} is ${c}, outside [0, 1]`);
    const b = Math.min(nBins - 1, Math.max(0, Math.ceil(c * nBins) - 1));
    count[b] = (count[b] as number) + 1;
    confSum[b] = (confSum[b] as number) + c;
    if (correct[i]) hits[b] = (hits[b] as number) + 1;
  }
  const n = correct.length;
  let ece = 0;
  let mce = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const k = count[b] as number;
    const confidence = k === 0 ? 0 : (confSum[b] as number) / k;
    const acc = k === 0 ? 0 : (hits[b] as number) / k;
    if (k > 0) {
      const gap = Math.abs(acc - confidence);
      ece += (k / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: k, confidence, accuracy: acc });
  }
  return { ece: n === 0 ? 0 : ece, mce, bins };
}

/** ECE of a multi-class classifier: confidence = top probability, correct = top class is true. */
export function calibrationFromProbabilities(
  yTrue: readonly string[],
  probabilities: readonly ArrayLike<number>[],
  labels: readonly string[],
  nBins = 10,
): Calibration {
  if (yTrue.length !== probabilities.length) {
    throw new InputError('calibration', `${yTrue.length} labels but ${probabilities.length} probability rows`);
  }
  const conf: number[] = [];
  const correct: boolean[] = [];
  probabilities.forEach((row, i) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if ((row[c] as number) > (row[best] as number)) best = c;
    conf.push(row[best] as number);
    correct.push(labels[best] === yTrue[i]);
  });
  return calibration(conf, correct, nBins);
}
