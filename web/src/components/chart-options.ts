import uPlot from 'uplot';
import { countAxisMax, stack, truncate, type BarsSpec, type ChartSpec, type LinesSpec } from '../lib/chart-spec';
import { compact } from '../lib/text';

/** Colours of the current theme (read from its CSS variables by the Chart component). */
export interface ChartColours {
  readonly text: string;
  readonly grid: string;
  readonly palette: readonly string[];
}

export interface Built {
  readonly options: uPlot.Options;
  readonly data: uPlot.AlignedData;
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Steps between labelled categories: whole numbers only, so every tick sits on a category. */
const CATEGORY_STEPS = [1, 2, 3, 4, 5, 6, 7, 10, 12, 14, 15, 20, 30, 50, 60, 90, 100, 180, 365, 730, 1000];
const LABEL_CHARS = 24;
/** Steps between count ticks: whole posts only. */
const COUNT_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p)).sort((a, b) => a - b);

/**
 * uPlot options for a chart spec. Everything from the data reaches the page as canvas text or,
 * in the legend, through textContent (uPlot never writes HTML), so names need no escaping.
 */
export function chartOptions(spec: ChartSpec, width: number, height: number, colours: ChartColours): Built {
  return spec.kind === 'lines' ? lines(spec, width, height, colours) : bars(spec, width, height, colours);
}

function categoryLabel(x: readonly string[], v: number | null | undefined, max = Infinity): string {
  if (v == null || !Number.isInteger(v)) return '';
  const label = x[v];
  return label === undefined ? '' : truncate(label, max);
}

function axis(colours: ChartColours, extra: uPlot.Axis): uPlot.Axis {
  return {
    stroke: colours.text,
    font: FONT,
    labelFont: FONT,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1, size: 4 },
    ...extra,
  };
}

// One category alone still gets an axis of non-zero width.
const categoryScale = (): uPlot.Scale => ({ time: false, range: (_u, min, max) => (min === max ? [min - 0.5, max + 0.5] : [min, max]) });
const countScale = (): uPlot.Scale => ({ range: (_u, _min, max) => [0, countAxisMax(max)] });
const countValues = (_u: uPlot, splits: number[]) => splits.map((v) => compact(v));

/** A #rrggbb colour at 35 % opacity (areas show the grid through them); other forms as they are. */
const translucent = (colour: string) => (/^#[0-9a-f]{6}$/i.test(colour) ? `${colour}59` : colour);

function lines(spec: LinesSpec, width: number, height: number, colours: ChartColours): Built {
  const raw = spec.series.map((s) => s.values);
  const stacked = spec.stacked === true ? stack(raw) : null;
  const x = spec.x.map((_, i) => i);
  const colour = (i: number) => colours.palette[i % colours.palette.length]!;
  const options: uPlot.Options = {
    width, height,
    scales: { x: categoryScale(), y: countScale() },
    axes: [
      axis(colours, { space: 90, incrs: CATEGORY_STEPS, values: (_u, splits) => splits.map((v) => categoryLabel(spec.x, v)) }),
      axis(colours, { size: 56, incrs: COUNT_STEPS, ...(spec.yName === undefined ? {} : { label: spec.yName, labelSize: 16 }), values: countValues }),
    ],
    series: [
      { label: spec.xName, value: (_u, v) => categoryLabel(spec.x, v) },
      ...spec.series.map((s, i): uPlot.Series => ({
        label: s.name,
        stroke: colour(i),
        width: 1.5,
        ...(stacked === null ? {} : { fill: translucent(colour(i)) }),
        points: { show: false },
        // The legend shows the series' own count for the hovered day, not the stacked sum.
        value: (_u, _v, _si, idx) => (idx == null ? '–' : compact(raw[i]?.[idx] ?? 0)),
      })),
    ],
    ...(stacked === null ? {} : { bands: stacked.bands.map(([hi, lo]) => ({ series: [hi + 1, lo + 1] as [number, number] })) }),
    cursor: { drag: spec.zoom === true ? { x: true, y: false, setScale: true } : { x: false, y: false, setScale: false }, points: { show: false } },
    legend: { live: true },
    hooks: stacked === null ? {} : {
      // A series switched off in the legend leaves the stack: the others close up over it.
      setSeries: [(u) => {
        const again = stack(raw, spec.series.map((_, i) => u.series[i + 1]?.show !== false));
        u.delBand(null);
        for (const [hi, lo] of again.bands) u.addBand({ series: [hi + 1, lo + 1] });
        u.setData([x, ...again.data], false);
        u.redraw();
      }],
    },
  };
  return { options, data: [x, ...(stacked?.data ?? raw.map((r) => [...r]))] };
}

/** Width of a left-hand category axis: its widest label (truncated to LABEL_CHARS) plus tick and gap. */
function labelWidth(u: uPlot, values: string[] | null): number {
  if (values === null || values.length === 0) return 40;
  u.ctx.save();
  u.ctx.font = FONT; // uPlot draws without a canvas transform, so this measures CSS pixels
  const widest = Math.max(...values.map((v) => u.ctx.measureText(v).width));
  u.ctx.restore();
  return Math.ceil(Math.min(widest, 220)) + 14;
}

function bars(spec: BarsSpec, width: number, height: number, colours: ChartColours): Built {
  const horizontal = spec.horizontal === true;
  const fill = colours.palette[0]!;
  const x = spec.x.map((_, i) => i);
  // Half a category either side: the outer bars are whole. From the category count, not the
  // data's min and max, which uPlot widens when there is only one category.
  const padded = (): uPlot.Range.MinMax => [-0.5, spec.x.length - 0.5];
  const categoryAxis = axis(colours, {
    scale: 'x',
    side: horizontal ? 3 : 2,
    incrs: CATEGORY_STEPS,
    space: horizontal ? 12 : 28,
    grid: { show: false },
    ...(horizontal ? { size: labelWidth, gap: 6 } : {}),
    values: (_u, splits) => splits.map((v) => categoryLabel(spec.x, v, horizontal ? LABEL_CHARS : Infinity)),
  });
  const countAxis = axis(colours, { scale: 'y', side: horizontal ? 2 : 3, incrs: COUNT_STEPS, ...(horizontal ? {} : { size: 48 }), values: countValues });
  const options: uPlot.Options = {
    width, height,
    scales: {
      // Horizontal bars: categories run top to bottom (the first, e.g. the busiest, on top), counts
      // left to right.
      x: { time: false, range: padded, ori: horizontal ? 1 : 0, dir: horizontal ? -1 : 1 },
      y: { ...countScale(), ori: horizontal ? 0 : 1, dir: 1 },
    },
    axes: [categoryAxis, countAxis],
    series: [
      { label: spec.xName, value: (_u, v) => categoryLabel(spec.x, v) },
      {
        label: spec.series.name,
        fill, stroke: fill, width: 0,
        paths: uPlot.paths.bars!({ size: [0.7, 48] }),
        points: { show: false },
        value: (_u, v) => (v == null ? '–' : compact(v)),
      },
    ],
    // Only the line through the hovered category (the x scale's, whichever way it runs).
    cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false }, x: true, y: false },
    legend: { live: true },
  };
  return { options, data: [x, [...spec.series.values]] };
}
