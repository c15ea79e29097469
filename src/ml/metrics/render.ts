import type { AveragedMetrics, ClassMetrics, ClassificationReport, ConfusionMatrix } from './classification.js';
import type { EntityReport } from './sequence.js';

/**
 * Plain-text tables (scikit-learn `classification_report` layout) and JSON-ready objects. Labels
 * may come from data, so they are printed as text only — never interpolated into HTML.
 */

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padStart(widths[0] as number) : c.padStart(widths[i] as number))).join('  ');
}

function metricsTable(
  rows: readonly (readonly [string, ClassMetrics])[],
  averages: readonly (readonly [string, AveragedMetrics])[],
  extra: readonly (readonly [string, number, number])[],
  digits: number,
): string {
  const names = [...rows.map((r) => r[0]), ...averages.map((a) => a[0]), ...extra.map((e) => e[0])];
  const nameWidth = Math.max(12, ...names.map((n) => n.length));
  const widths = [nameWidth, 9, 9, 9, 9];
  const lines = [pad(['', 'precision', 'recall', 'f1-score', 'support'], widths), ''];
  for (const [name, m] of rows) {
    lines.push(pad([name, fmt(m.precision, digits), fmt(m.recall, digits), fmt(m.f1, digits), String(m.support)], widths));
  }
  lines.push('');
  for (const [name, value, support] of extra) lines.push(pad([name, '', '', fmt(value, digits), String(support)], widths));
  for (const [name, m] of averages) {
    lines.push(pad([name, fmt(m.precision, digits), fmt(m.recall, digits), fmt(m.f1, digits), String(m.support)], widths));
  }
  return lines.join('\n');
}

export function renderClassificationReport(report: ClassificationReport, digits = 4): string {
  return metricsTable(
    report.labels.map((l) => [l, report.perClass[l] as ClassMetrics] as const),
    [
      ['macro avg', report.macro],
      ['weighted avg', report.weighted],
    ],
    [['accuracy', report.accuracy, report.n]],
    digits,
  );
}

export function renderEntityReport(report: EntityReport, digits = 4): string {
  return metricsTable(
    report.types.map((t) => [t, report.perType[t] as ClassMetrics] as const),
    [
      ['micro avg', report.micro],
      ['macro avg', report.macro],
      ['weighted avg', report.weighted],
    ],
    [],
    digits,
  );
}

/** Rows = true label, columns = predicted label. */
export function renderConfusionMatrix(matrix: ConfusionMatrix): string {
  const { labels, counts } = matrix;
  const rowHead = 'true \\ pred';
  const first = Math.max(rowHead.length, ...labels.map((l) => l.length));
  const cellWidth = Math.max(...labels.map((l) => l.length), ...counts.flat().map((c) => String(c).length), 3);
  const widths = [first, ...labels.map(() => cellWidth)];
  const lines = [pad([rowHead, ...labels], widths)];
  labels.forEach((label, i) => lines.push(pad([label, ...(counts[i] ?? []).map(String)], widths)));
  return lines.join('\n');
}

/** Rounds every number in a metrics object for stable, readable JSON output. */
export function roundMetrics<T>(value: T, digits = 4): T {
  const scale = 10 ** digits;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * scale) / scale : null;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The compact JSON summary that `threatminer eval` commands print as their last line. */
export function classificationSummary(report: ClassificationReport, digits = 4): Record<string, unknown> {
  return roundMetrics(
    {
      n: report.n,
      accuracy: report.accuracy,
      macro_precision: report.macro.precision,
      macro_recall: report.macro.recall,
      macro_f1: report.macro.f1,
      micro_f1: report.micro.f1,
      weighted_f1: report.weighted.f1,
      per_class_f1: Object.fromEntries(report.labels.map((l) => [l, report.perClass[l]?.f1 ?? 0])),
    },
    digits,
  );
}
