import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseDate } from '../../src/collect/crawler/dates.js';

const now = new Date('2026-11-21T23:30:00Z');
const at = (raw: string, timezone = 'UTC', dateOrder: 'mdy' | 'dmy' = 'mdy'): string | undefined => normaliseDate(raw, { now, timezone, dateOrder });

test('relative dates resolve against the fetch time in the forum timezone', () => {
  assert.equal(at('Yesterday at 10:12 AM'), '2026-11-20T10:12:00Z');
  assert.equal(at('Today at 1:05 PM'), '2026-11-21T13:05:00Z');
  assert.equal(at('2 часа назад', '+03:00'), '2026-11-21T21:30:00Z');
  assert.equal(at('5 минут назад', '+03:00'), '2026-11-21T23:25:00Z');
  // 02:30 on the 22nd in Moscow: "yesterday" is the 21st there.
  assert.equal(at('Вчера, 10:12', '+03:00'), '2026-11-21T07:12:00Z');
  assert.equal(at('Сегодня, 01:00', 'Europe/Moscow'), '2026-11-21T22:00:00Z');
  assert.equal(at('昨天 10:12', '+08:00'), '2026-11-21T02:12:00Z');
  assert.equal(at('昨天\u00a010:12', '+08:00'), '2026-11-21T02:12:00Z');
  assert.equal(at('3 小时前', '+08:00'), '2026-11-21T20:30:00Z');
  assert.equal(at('刚刚', '+08:00'), '2026-11-21T23:30:00Z');
  assert.equal(at('A moment ago'), '2026-11-21T23:30:00Z');
  assert.equal(at('1 hour ago'), '2026-11-21T22:30:00Z');
  assert.equal(at('2 days ago'), '2026-11-19T23:30:00Z');
  // 2026-11-21 is a Saturday: "Monday" is the 16th, "Saturday" a week ago.
  assert.equal(at('Monday at 10:12 AM'), '2026-11-16T10:12:00Z');
  assert.equal(at('Saturday at 9:00 PM'), '2026-11-14T21:00:00Z');
  assert.equal(at('в понедельник, 10:12', '+03:00'), '2026-11-16T07:12:00Z');
  assert.equal(at('星期一 10:12', '+08:00'), '2026-11-16T02:12:00Z');
});

test('absolute dates with localised month names and engine formats', () => {
  assert.equal(at('Вс 13 сен 2026, 01:09', '+03:00'), '2026-09-12T22:09:00Z');
  assert.equal(at('13 сентября 2025, 10:12', 'Europe/Moscow'), '2025-09-13T07:12:00Z');
  assert.equal(at('9 мая 2026, 16:37', '+03:00'), '2026-05-09T13:37:00Z');
  assert.equal(at('11-20-2026, 10:12 PM', '-05:00'), '2026-11-21T03:12:00Z');
  assert.equal(at('2026年9月13日 10:12', '+08:00'), '2026-09-13T02:12:00Z');
  assert.equal(at('November 20, 2026,  10:12am'), '2026-11-20T10:12:00Z');
  assert.equal(at('Nov 20, 2026'), '2026-11-20T00:00:00Z');
  assert.equal(at('20.11.2026, 10:12', '+01:00'), '2026-11-20T09:12:00Z');
  assert.equal(at('04-05-2026', 'UTC', 'dmy'), '2026-05-04T00:00:00Z');
  assert.equal(at('04-05-2026', 'UTC', 'mdy'), '2026-04-05T00:00:00Z');
  // DST: New York is UTC-4 in July.
  assert.equal(at('07-04-2026, 12:00 PM', 'America/New_York'), '2026-07-04T16:00:00Z');
});

test('machine-readable dates keep their own offset', () => {
  assert.equal(at('2026-11-20T10:12:00+0000', '+08:00'), '2026-11-20T10:12:00Z');
  assert.equal(at('2026-11-20T10:12:00+03:00'), '2026-11-20T07:12:00Z');
  assert.equal(at('2026-11-20T10:12:00Z', '-05:00'), '2026-11-20T10:12:00Z');
  assert.equal(at('1763633520'), '2025-11-20T10:12:00Z');
});

test('garbage is not a date, and long hostile input is refused quickly', () => {
  assert.equal(at('garbage'), undefined);
  assert.equal(at(''), undefined);
  assert.equal(at('13:99 foo'), undefined);
  const start = Date.now();
  assert.equal(at('1'.repeat(100_000)), undefined);
  assert.equal(at(`${'9 '.repeat(90)}zzz`), undefined);
  assert.equal(at('about 3 hours ago'), '2026-11-21T20:30:00Z');
  assert.ok(Date.now() - start < 200);
});
