import { describe, expect, test } from 'vitest';
import { countAxisMax, stack, truncate } from './chart-spec';

describe('stack', () => {
  test('sums series bottom-up and bands each series to the one below', () => {
    const s = stack([[1, 2, 0], [3, 0, 1], [0, 5, 2]]);
    expect(s.data).toEqual([[1, 2, 0], [4, 2, 1], [4, 7, 3]]);
    expect(s.bands).toEqual([[1, 0], [2, 1]]);
  });
  test('a hidden series adds nothing and the band above it reaches past it', () => {
    const s = stack([[1, 1], [10, 10], [2, 3]], [true, false, true]);
    expect(s.data).toEqual([[1, 1], [1, 1], [3, 4]]);
    expect(s.bands).toEqual([[2, 0]]);
  });
  test('no series, or only hidden ones, gives no bands', () => {
    expect(stack([])).toEqual({ data: [], bands: [] });
    expect(stack([[1], [2]], [false, false]).bands).toEqual([]);
  });
});

describe('truncate', () => {
  test('keeps short labels and cuts long ones with an ellipsis', () => {
    expect(truncate('forum1 / board2', 24)).toBe('forum1 / board2');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(Array.from(truncate('x'.repeat(100), 24))).toHaveLength(24);
  });
  test('never splits a character made of two UTF-16 units', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('countAxisMax', () => {
  test('rounds the max plus headroom up to a round number', () => {
    expect(countAxisMax(32)).toBe(40);
    expect(countAxisMax(6)).toBe(8);
    expect(countAxisMax(100)).toBe(120);
    expect(countAxisMax(1900)).toBe(2000);
    expect(countAxisMax(2)).toBe(2.5);
  });
  test('an empty or broken range still gives a usable axis', () => {
    expect(countAxisMax(0)).toBe(1);
    expect(countAxisMax(-3)).toBe(1);
    expect(countAxisMax(Number.NaN)).toBe(1);
  });
  test('is never below the max', () => {
    for (let max = 1; max < 5000; max += 7) expect(countAxisMax(max)).toBeGreaterThanOrEqual(max);
  });
});
