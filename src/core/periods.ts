import type { PeriodUnit } from './schemas/common.js';

/** Timestamps are Unix seconds, as in Chargebee's API. */
const DAY = 86_400;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `anchor + n × unit`, calendar-correct in UTC. Months and years keep the anchor's day of month, clamped to the
 * month's last day: 31 Jan + 1 month = 28 Feb (29 in a leap year), 31 Jan + 2 months = 31 Mar.
 * Always count from the original anchor, never from a clamped date, so the day of month does not drift.
 */
export function addPeriod(anchor: number, n: number, unit: PeriodUnit): number {
  if (unit === 'day') return anchor + n * DAY;
  if (unit === 'week') return anchor + n * 7 * DAY;
  const d = new Date(anchor * 1000);
  const months = unit === 'year' ? n * 12 : n;
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  const ms = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return Math.floor(ms / 1000);
}

/** The end of term number `k` (1-based) of a subscription anchored at `anchor`. */
export function termEnd(anchor: number, k: number, period: number, unit: PeriodUnit): number {
  return addPeriod(anchor, k * period, unit);
}

/** The term that contains `at`, for terms of `period unit` starting at `anchor`: [start, end). */
export function termContaining(
  anchor: number,
  at: number,
  period: number,
  unit: PeriodUnit,
): { start: number; end: number; index: number } {
  if (at < anchor) return { start: anchor, end: termEnd(anchor, 1, period, unit), index: 0 };
  // Estimate the index from average lengths, then correct; exact because addPeriod is monotonic.
  const approx = { day: DAY, week: 7 * DAY, month: 30.436875 * DAY, year: 365.2425 * DAY }[unit] * period;
  let k = Math.max(0, Math.floor((at - anchor) / approx) - 1);
  while (termEnd(anchor, k + 1, period, unit) <= at) k += 1;
  while (k > 0 && termEnd(anchor, k, period, unit) > at) k -= 1;
  return { start: termEnd(anchor, k, period, unit), end: termEnd(anchor, k + 1, period, unit), index: k };
}
