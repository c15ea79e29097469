/**
 * Time-zone estimate from an author's posting hours (UTC). People sleep: the quietest run of
 * SLEEP_HOURS consecutive hours is taken as local ~01:00–07:00, so its start gives the offset.
 * The estimate is only as good as the activity pattern: confidence falls with few posts or a
 * shallow trough (night owls, shared accounts, scheduled posting), and is reported as such.
 */
const SLEEP_HOURS = 6;
/** Local start of the assumed quiet window 02:00–08:00 (the trough of forum activity curves). */
const SLEEP_START_LOCAL = 2;

export interface TimezoneEstimate {
  /** Estimated UTC offset in whole hours, in [-11, +12]; null with fewer than 10 dated posts. */
  readonly utcOffsetHours: number | null;
  /** 0..1: depth of the trough × a sample-size factor. */
  readonly confidence: number;
  /** Share of posts inside the quiet window (uniform activity would give 0.25). */
  readonly troughShare: number;
  readonly quietHoursUtc: readonly number[];
}

export function estimateTimezone(hourCountsUtc: readonly number[]): TimezoneEstimate {
  const total = hourCountsUtc.reduce((a, b) => a + b, 0);
  if (hourCountsUtc.length !== 24 || total < 10) return { utcOffsetHours: null, confidence: 0, troughShare: Number.NaN, quietHoursUtc: [] };
  const sums = Array.from({ length: 24 }, (_, start) => {
    let sum = 0;
    for (let k = 0; k < SLEEP_HOURS; k++) sum += hourCountsUtc[(start + k) % 24]!;
    return sum;
  });
  const bestSum = Math.min(...sums);
  // A quiet period longer than the window gives several equally quiet starts: take the middle
  // of the longest circular run of them, so an 8-hour night is centred, not left-aligned.
  let bestStart = sums.indexOf(bestSum);
  let bestRun = 0;
  for (let start = 0; start < 24; start++) {
    if (sums[start] !== bestSum || sums[(start + 23) % 24] === bestSum) continue;
    let run = 0;
    while (run < 24 && sums[(start + run) % 24] === bestSum) run++;
    if (run > bestRun) {
      bestRun = run;
      bestStart = (start + Math.floor((run - 1) / 2)) % 24;
    }
  }
  let offset = SLEEP_START_LOCAL - bestStart;
  while (offset <= -12) offset += 24;
  while (offset > 12) offset -= 24;
  const troughShare = bestSum / total;
  const expected = SLEEP_HOURS / 24;
  const depth = Math.max(0, (expected - troughShare) / expected);
  const sample = 1 - Math.exp(-total / 40);
  return {
    utcOffsetHours: offset,
    confidence: Math.round(depth * sample * 1000) / 1000,
    troughShare,
    quietHoursUtc: Array.from({ length: SLEEP_HOURS }, (_, k) => (bestStart + k) % 24),
  };
}
