import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTheme } from '../lib/theme';
import type { ChartProps } from './Chart';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

/**
 * An ECharts chart on canvas (no inline markup, works under the strict CSP). Tooltips are plain
 * text: series and axis names can come from forum data (site and board names), so the default
 * HTML tooltip formatter is replaced by one that escapes.
 */
export default function ChartImpl({ option, height = 260, label }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const chart = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.setOption({ backgroundColor: 'transparent', ...option, tooltip: { trigger: 'axis', formatter: textTooltip, ...(option.tooltip as object | undefined) } });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option, theme]);
  // React sets style through the CSSOM, which a CSP without 'unsafe-inline' still allows.
  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface TooltipParam { axisValueLabel?: string; seriesName?: string; value?: unknown; marker?: string }

/** ECharts tooltips are HTML strings; everything from data is escaped before it gets there. */
export function textTooltip(params: TooltipParam | TooltipParam[]): string {
  const list = Array.isArray(params) ? params : [params];
  const head = list[0]?.axisValueLabel ?? '';
  const rows = list.filter((p) => typeof p.value === 'number' ? p.value !== 0 : true).slice(0, 20)
    .map((p) => `${escapeHtml(String(p.seriesName ?? ''))}: ${escapeHtml(String(p.value ?? ''))}`);
  return [escapeHtml(head), ...rows].join('<br/>');
}
