/**
 * What a page asks a chart to show, independent of the library that draws it, and the pure
 * data work behind it (stacking, label truncation, axis ranges). No DOM here: unit-tested.
 */

/** One named series of counts, aligned with the chart's categories. */
export interface SeriesSpec {
  readonly name: string;
  readonly values: readonly number[];
}

/** Lines over categories (days): optionally stacked areas, optionally zoomable along the x axis. */
export interface LinesSpec {
  readonly kind: 'lines';
  /** Category labels along the x axis (e.g. ISO days), in order. */
  readonly x: readonly string[];
  /** What one category is, shown in the legend next to the hovered one ("day"). */
  readonly xName: string;
  readonly yName?: string;
  readonly series: readonly SeriesSpec[];
  readonly stacked?: boolean;
  readonly zoom?: boolean;
}

/** One series of bars over categories, vertical or (for long category names) horizontal. */
export interface BarsSpec {
  readonly kind: 'bars';
  readonly x: readonly string[];
  readonly xName: string;
  readonly series: SeriesSpec;
  readonly horizontal?: boolean;
}

export type ChartSpec = LinesSpec | BarsSpec;

/** Name of the performance mark each chart sets when it is first drawn (detail: its label). */
export const CHART_DRAWN = 'chart-drawn';

export interface Stacked {
  /** Cumulative values: series i is the sum of the visible series 0..i (hidden ones repeat the sum below). */
  readonly data: number[][];
  /** Filled bands as [upper, lower] indices into `data`, between each visible series and the visible one below it. */
  readonly bands: [number, number][];
}

/**
 * Stacks series bottom-up (series 0 at the bottom). A hidden series adds nothing, so the areas
 * above it close the gap, and the band of the next visible series reaches down past it.
 */
export function stack(series: readonly (readonly number[])[], visible: readonly boolean[] = []): Stacked {
  const length = series[0]?.length ?? 0;
  const sum = new Array<number>(length).fill(0);
  const data: number[][] = [];
  const bands: [number, number][] = [];
  let below = -1;
  series.forEach((values, s) => {
    const shown = visible[s] ?? true;
    if (shown) for (let i = 0; i < length; i++) sum[i]! += values[i] ?? 0;
    data.push(sum.slice());
    if (!shown) return;
    if (below >= 0) bands.push([s, below]);
    below = s;
  });
  return { data, bands };
}

/** Cuts a category label to `max` characters (with an ellipsis); the legend shows it whole. */
export function truncate(label: string, max: number): string {
  const chars = Array.from(label); // code points: an emoji in a board name is not split in half
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Upper end of a count axis that starts at 0: the max plus a little headroom, rounded up to a
 * round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten); at least 1.
 */
export function countAxisMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const target = Math.max(1, max * 1.05);
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= target * (1 - 1e-12)) ?? 10;
  return Math.round(step * magnitude * 1e6) / 1e6;
}
