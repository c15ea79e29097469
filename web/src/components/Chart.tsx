import { useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import { CHART_DRAWN, type ChartSpec } from '../lib/chart-spec';
import { useTheme } from '../lib/theme';
import { chartOptions, type ChartColours } from './chart-options';

export interface ChartProps {
  spec: ChartSpec;
  /** Height of the plot with its axes, in CSS pixels (the legend comes below it). */
  height?: number;
  label: string;
}

/**
 * A chart drawn by uPlot on a canvas. uPlot (50 kB) replaced ECharts (570 kB) because the
 * Overview's first load in a fresh browser was mostly ECharts: compiling its code and its first
 * setOption took ~300 ms of main-thread CPU; see docs/dashboard.md. It is small enough to be in
 * the app's preloaded chunks, so no lazy loading. No inline markup (works under the strict CSP):
 * uPlot sets styles through the CSSOM and puts legend text in with textContent.
 */
export function Chart({ spec, height = 260, label }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  // A layout effect: the chart is drawn before the browser paints the page it appears on.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const { options, data } = chartOptions(spec, Math.max(el.clientWidth, 100), height, themeColours());
    let marked = false;
    // The first draw (series and axes on the canvas) marks the chart as shown: the first-load
    // benchmark and the browser tests read these marks.
    options.hooks = { ...options.hooks, draw: [() => {
      if (marked) return;
      marked = true;
      performance.mark(CHART_DRAWN, { detail: label });
    }] };
    const chart = new uPlot(options, data, el);
    // A ResizeObserver reports the initial size at once; only real width changes redraw.
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === width || el.clientWidth === 0) return;
      width = el.clientWidth;
      chart.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [spec, height, theme, label]);
  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}

const FALLBACK = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/** The current theme's colours from its CSS variables (styles.css), so charts follow the toggle. */
function themeColours(): ChartColours {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--muted', '#5b6472'),
    grid: v('--border', '#d9dee5'),
    palette: FALLBACK.map((c, i) => v(`--series-${i + 1}`, c)),
  };
}
