import { useEffect, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { loadCharts, loadedCharts } from './chart-loader';

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number;
  label: string;
}

/**
 * ECharts is the largest part of the app: loaded on demand (main.ts starts it together with the
 * Overview's data). Not React.lazy + Suspense: React 19 holds back the reveal of a suspended
 * boundary until 300 ms after its fallback appeared, which delayed every chart; a plain state
 * update when the code arrives draws it at once.
 */
export function Chart(props: ChartProps) {
  const [Impl, setImpl] = useState(loadedCharts);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (Impl !== null) return;
    let live = true;
    loadCharts().then(
      (loaded) => live && setImpl(() => loaded),
      (err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [Impl]);
  if (Impl !== null) return <Impl {...props} />;
  if (failed !== null) return <div className="state error" role="alert">Could not load the chart code: {failed}</div>;
  return <div className="chart" role="img" aria-label={`${props.label} (loading)`} style={{ height: props.height ?? 260 }} />;
}
