import { lazy, Suspense } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number;
  label: string;
}

// ECharts is the largest part of the app: loaded on demand, in parallel with the page's data,
// so it never delays the first paint or the first API request.
const load = () => import('./ChartImpl');
const ChartImpl = lazy(load);

/** Starts fetching and evaluating the chart code now (the Overview needs it right after its data). */
export function preloadCharts(): void {
  void load();
}

export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<div className="chart" role="img" aria-label={`${props.label} (loading)`} style={{ height: props.height ?? 260 }} />}>
      <ChartImpl {...props} />
    </Suspense>
  );
}
