import { describe, expect, it } from 'vitest';
import { addPeriod, termContaining, termEnd } from '../../src/core/periods.js';

const t = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 19) + 'Z';

describe('billing periods', () => {
  it.each([
    ['2025-01-31T10:00:00Z', 1, 'month', '2025-02-28T10:00:00Z'],
    ['2024-01-31T10:00:00Z', 1, 'month', '2024-02-29T10:00:00Z'],
    ['2025-01-31T10:00:00Z', 2, 'month', '2025-03-31T10:00:00Z'],
    ['2025-01-30T00:00:00Z', 1, 'month', '2025-02-28T00:00:00Z'],
    ['2024-02-29T00:00:00Z', 1, 'year', '2025-02-28T00:00:00Z'],
    ['2024-02-29T00:00:00Z', 4, 'year', '2028-02-29T00:00:00Z'],
    ['2025-12-15T00:00:00Z', 1, 'month', '2026-01-15T00:00:00Z'],
    ['2025-03-01T00:00:00Z', 2, 'week', '2025-03-15T00:00:00Z'],
    ['2025-03-01T00:00:00Z', 30, 'day', '2025-03-31T00:00:00Z'],
    ['2025-05-31T00:00:00Z', 6, 'month', '2025-11-30T00:00:00Z'],
  ] as const)('%s + %i %s = %s (calendar-correct)', (from, n, unit, to) => {
    expect(iso(addPeriod(t(from), n, unit))).toBe(to);
  });

  it('counts terms from the anchor so the day of month does not drift after February', () => {
    const anchor = t('2025-01-31T00:00:00Z');
    expect([1, 2, 3, 4].map((k) => iso(termEnd(anchor, k, 1, 'month')))).toEqual([
      '2025-02-28T00:00:00Z',
      '2025-03-31T00:00:00Z',
      '2025-04-30T00:00:00Z',
      '2025-05-31T00:00:00Z',
    ]);
  });

  it('finds the term that contains a moment', () => {
    const anchor = t('2025-01-31T00:00:00Z');
    const term = termContaining(anchor, t('2025-03-15T00:00:00Z'), 1, 'month');
    expect(iso(term.start)).toBe('2025-02-28T00:00:00Z');
    expect(iso(term.end)).toBe('2025-03-31T00:00:00Z');
    expect(term.index).toBe(1);
    const exact = termContaining(anchor, t('2025-03-31T00:00:00Z'), 1, 'month');
    expect(iso(exact.start)).toBe('2025-03-31T00:00:00Z');
    const years = termContaining(t('2020-02-29T00:00:00Z'), t('2031-06-01T00:00:00Z'), 1, 'year');
    expect(iso(years.start)).toBe('2031-02-28T00:00:00Z');
  });
});
