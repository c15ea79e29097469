import type uPlot from 'uplot';
import { describe, expect, test } from 'vitest';
import { chartOptions } from './chart-options';

const colours = { text: '#111111', grid: '#eeeeee', palette: ['#2563eb', '#d97706'] };
type ValueFn = (u: uPlot, v: number | null, si: number, idx: number | null) => string;
const valueOf = (s: uPlot.Series | undefined): ValueFn => s?.value as ValueFn;
const u = {} as uPlot;

describe('chartOptions: stacked lines', () => {
  const spec = {
    kind: 'lines', x: ['2024-01-01', '2024-01-02'], xName: 'day', yName: 'posts', stacked: true, zoom: true,
    series: [{ name: '<b>site</b>', values: [1, 2] }, { name: 'b', values: [3, 40_000] }],
  } as const;
  const { options, data } = chartOptions(spec, 400, 260, colours);

  test('plots cumulative sums over category indices, with bands between layers', () => {
    expect(data).toEqual([[0, 1], [1, 2], [4, 40_002]]);
    expect(options.bands).toEqual([{ series: [2, 1] }]);
  });
  test('the legend shows each series\' own count and the hovered category', () => {
    expect(valueOf(options.series[2])(u, 4, 2, 0)).toBe('3');
    expect(valueOf(options.series[2])(u, 40_002, 2, 1)).toBe('40.0k');
    expect(valueOf(options.series[0])(u, 1, 0, 1)).toBe('2024-01-02');
    expect(valueOf(options.series[0])(u, 0.5, 0, null)).toBe('');
  });
  test('series names are passed on as plain text labels (uPlot sets them with textContent)', () => {
    expect(options.series[1]?.label).toBe('<b>site</b>');
  });
  test('zoom drags along x only', () => {
    expect(options.cursor?.drag).toEqual({ x: true, y: false, setScale: true });
  });
});

describe('chartOptions: bars', () => {
  test('horizontal bars put categories top to bottom and span exactly the categories', () => {
    const { options, data } = chartOptions({ kind: 'bars', horizontal: true, x: ['a', 'b', 'c'], xName: 'board', series: { name: 'posts', values: [5, 3, 1] } }, 400, 260, colours);
    expect(data).toEqual([[0, 1, 2], [5, 3, 1]]);
    expect(options.scales?.x).toMatchObject({ ori: 1, dir: -1 });
    expect(options.scales?.y).toMatchObject({ ori: 0 });
    const range = options.scales?.x?.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(range(u, 0, 0)).toEqual([-0.5, 2.5]);
    expect(options.cursor?.drag).toMatchObject({ setScale: false });
  });
  test('category axis labels are cut to fit and only whole categories are labelled', () => {
    const long = 'forum / ' + 'x'.repeat(60);
    const { options } = chartOptions({ kind: 'bars', horizontal: true, x: [long], xName: 'board', series: { name: 'posts', values: [1] } }, 400, 260, colours);
    const values = options.axes?.[0]?.values as (u: uPlot, splits: number[]) => string[];
    const [cut, between] = values(u, [0, 0.5]);
    expect(cut?.endsWith('…')).toBe(true);
    expect(Array.from(cut ?? '')).toHaveLength(24);
    expect(between).toBe('');
  });
});
