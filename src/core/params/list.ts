import * as z from 'zod/mini';

/**
 * List paging and filters, Chargebee's way: `limit`, an opaque `offset` (the `next_offset` of the page before),
 * `id[is|is_not|starts_with|in|not_in]`, `created_at[after|before|on]`, `sort_by[asc|desc]=created_at`, and per
 * resource `status[is]`, `currency_code[in]` and the like. One family for every list route.
 */

/** The value of an `in` / `not_in` filter: a JSON list such as `["a","b"]`, or Chargebee's unquoted `[a,b]`. */
export const listOf = z.pipe(
  z.string().check(z.maxLength(5000)),
  z.transform((s, ctx) => {
    const t = s.trim();
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.length <= 250 && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
    } catch {
      if (/^\[[^\]]*\]$/.test(t)) return t.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean);
    }
    ctx.issues.push({ code: 'custom', message: 'must be a list such as ["a","b"]', input: s });
    return z.NEVER;
  }),
);

/** `created_at[after]=...`: Unix seconds. */
export const timeFilter = z.strictObject({ after: z.optional(z.int()), before: z.optional(z.int()), on: z.optional(z.int()) });

/** A filter on a column of string values: `status[is]=active`, `currency_code[in]=["USD","EUR"]`. */
export const stringFilter = <T extends z.ZodMiniType<string>>(value: T) =>
  z.strictObject({ is: z.optional(value), is_not: z.optional(value), in: z.optional(listOf), not_in: z.optional(listOf) });

export const limit = z._default(z.int().check(z.minimum(1), z.maximum(100)), 10);
export const offset = z.optional(z.string().check(z.maxLength(1000)));

/** The parameters every resource list takes. */
export const listParams = {
  limit,
  offset,
  id: z.optional(
    z.strictObject({ is: z.optional(z.string()), is_not: z.optional(z.string()), starts_with: z.optional(z.string()), in: z.optional(listOf), not_in: z.optional(listOf) }),
  ),
  created_at: z.optional(timeFilter),
  updated_at: z.optional(timeFilter),
  sort_by: z.optional(z.strictObject({ asc: z.optional(z.literal('created_at')), desc: z.optional(z.literal('created_at')) })),
};

/** A list's paging and common filters, as parsed. */
export type ListParams = z.output<z.ZodMiniObject<typeof listParams>>;
