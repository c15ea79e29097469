import type ChartImpl from './ChartImpl';

/**
 * Loads the chart code (ECharts) once. No React here, so the entry module can start the download
 * before React is evaluated; the Chart component renders the loaded component directly.
 */
type Impl = typeof ChartImpl;

/** Name of the performance mark each chart sets when it is first drawn (detail: its label). */
export const CHART_DRAWN = 'chart-drawn';

let impl: Impl | null = null;
let pending: Promise<Impl> | null = null;

export function loadCharts(): Promise<Impl> {
  pending ??= import('./ChartImpl').then(
    (m) => (impl = m.default),
    (err: unknown) => {
      pending = null; // a later chart may try again
      throw err;
    },
  );
  return pending;
}

/** The chart component if its code has arrived, else null. */
export function loadedCharts(): Impl | null {
  return impl;
}
