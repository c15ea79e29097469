/**
 * Shared evaluation metrics for every threatminer model: classification (accuracy, per-class and
 * macro/micro/weighted P/R/F1, confusion matrix), ranking (ROC-AUC, PR-AUC, FPR at a threshold),
 * calibration (ECE), entity-level sequence-labelling F1 (seqeval-style, BIO/BIOES), and rendering
 * as text tables or JSON. Pure TypeScript, no dependencies, so evaluation never needs the
 * native training addon.
 */
export {
  accuracy,
  classificationReport,
  confusionMatrix,
  f1Score,
  ratio,
  type AveragedMetrics,
  type ClassMetrics,
  type ClassificationOptions,
  type ClassificationReport,
  type ConfusionMatrix,
} from './metrics/classification.js';
export {
  atThreshold,
  fprAtThreshold,
  prAuc,
  rocAuc,
  rocAucOvr,
  thresholdCurve,
  type CurvePoint,
  type ThresholdCounts,
} from './metrics/ranking.js';
export { calibration, calibrationFromProbabilities, type Calibration, type CalibrationBin } from './metrics/calibration.js';
export {
  entitiesConlleval,
  entitiesStrict,
  entityReport,
  type Entity,
  type EntityMode,
  type EntityOptions,
  type EntityReport,
  type TagScheme,
} from './metrics/sequence.js';
export {
  classificationSummary,
  renderClassificationReport,
  renderConfusionMatrix,
  renderEntityReport,
  roundMetrics,
} from './metrics/render.js';
