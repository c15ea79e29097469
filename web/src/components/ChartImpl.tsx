import { useLayoutEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTheme } from '../lib/theme';
import type { ChartProps } from './Chart';
import { CHART_DRAWN } from './chart-loader';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

/**
 * An ECharts chart on canvas (no inline markup, works under the strict CSP). Tooltips are plain
 * text: series and axis names can come from forum data (site and board names), so the default
 * HTML tooltip formatter is replaced by one that escapes.
 */
export default function ChartImpl({ option, height = 260, label }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  // A layout effect: the chart is drawn before the browser paints the page it appears on, not
  // one frame later.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const chart = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    // 'finished' fires once the chart is drawn and settled; the first one marks the chart as shown
    // (the first-load benchmark and the browser tests read these marks).
    chart.on('finished', function drawn() {
      chart.off('finished', drawn);
      performance.mark(CHART_DRAWN, { detail: label });
    });
    // No animation: the first draw is the final picture, not the first of ~60 frames that
    // compete with the rest of the page for the CPU.
    chart.setOption({ backgroundColor: 'transparent', animation: false, ...option, tooltip: { trigger: 'axis', formatter: textTooltip, ...(option.tooltip as object | undefined) } });
    // A ResizeObserver reports the initial size at once; redrawing for it would only repeat the
    // first render, so only real size changes resize the chart.
    let size = `${el.clientWidth}x${el.clientHeight}`;
    const observer = new ResizeObserver(() => {
      const now = `${el.clientWidth}x${el.clientHeight}`;
      if (now === size) return;
      size = now;
      chart.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option, theme, label]);
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
