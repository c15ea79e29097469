import { describe, expect, test } from 'vitest';
import { attentionRanges, compact, safeHref, segments } from './text';

describe('segments', () => {
  test('cuts text at ranges and keeps every character once', () => {
    const s = segments('sell CVE-2024-1 now', [{ start: 5, end: 15 }]);
    expect(s).toEqual([{ text: 'sell ', mark: -1 }, { text: 'CVE-2024-1', mark: 0 }, { text: ' now', mark: -1 }]);
    expect(s.map((x) => x.text).join('')).toBe('sell CVE-2024-1 now');
  });
  test('clamps out-of-range and drops overlapping or empty ranges', () => {
    const text = '<script>alert(1)</script>';
    const s = segments(text, [{ start: -5, end: 3 }, { start: 2, end: 10 }, { start: 20, end: 999 }, { start: 7, end: 7 }]);
    expect(s.map((x) => x.text).join('')).toBe(text);
    expect(s.filter((x) => x.mark >= 0).map((x) => x.mark)).toEqual([0, 2]);
  });
  test('empty text gives one empty plain segment', () => {
    expect(segments('', [{ start: 0, end: 4 }])).toEqual([{ text: '', mark: -1 }]);
  });
});

describe('safeHref', () => {
  test('passes plain http(s) URLs', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref('http://forum.example/t/1')).toBe('http://forum.example/t/1');
  });
  test.each([
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'file:///etc/passwd', '//evil.example/x',
    '/relative', 'https://user:pass@example.com/', '\u0000javascript:alert(1)', 'javascript&colon;alert(1)', '',
  ])('refuses %j', (raw) => {
    expect(safeHref(raw)).toBeNull();
  });
});

describe('attentionRanges', () => {
  test('finds whole-word tokens case-insensitively with weights scaled to the strongest', () => {
    const r = attentionRanges('RCE exploit; rcex; Exploit!', [{ token: 'exploit', weight: 2 }, { token: 'rce', weight: 1 }]);
    expect(r.filter((x) => x.weight === 1).map((x) => x.start)).toEqual([4, 19]);
    expect(r.filter((x) => x.weight === 0.5).map((x) => x.start)).toEqual([0]);
  });
});

test('compact', () => {
  expect(compact(999)).toBe('999');
  expect(compact(0)).toBe('0');
  expect(compact(1_234)).toBe('1,234');
  expect(compact(-9_999)).toBe('-9,999');
  expect(compact(1.5)).toBe('1.5');
  expect(compact(12_345)).toBe('12.3k');
  expect(compact(2_500_000)).toBe('2.5M');
});

describe('toCsv', async () => {
  const { toCsv } = await import('./export');
  test('quotes and neutralises formulas', () => {
    expect(toCsv([{ v: '=HYPERLINK("http://x")', n: 1 }, { v: 'a,b', n: 2 }])).toBe('v,n\r\n"\'=HYPERLINK(""http://x"")",1\r\n"a,b",2\r\n');
  });
});
