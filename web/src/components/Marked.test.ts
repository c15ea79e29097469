import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { Marked } from './Marked';

const HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [url=javascript:alert(3)]x[/url]';

describe('Marked renders hostile text as text', () => {
  test('markup in the text is escaped, highlights are separate elements', () => {
    const html = renderToStaticMarkup(createElement(Marked, { text: HOSTILE, ranges: [{ start: 8, end: 16 }] }));
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<mark class="hit">alert(1)</mark>');
    expect(html.replace(/<\/?(span|mark)[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')).toBe(HOSTILE);
  });
  test('range classes come from the caller, not the data', () => {
    const html = renderToStaticMarkup(createElement(Marked, { text: 'CVE-2024-1 "><b>', ranges: [{ start: 0, end: 10 }], classOf: () => 'ent ent-cve', titleOf: () => '"><script>' }));
    expect(html).toContain('class="ent ent-cve"');
    expect(html).toContain('title="&quot;&gt;&lt;script&gt;"');
    expect(html).not.toContain('<b>');
  });
});
