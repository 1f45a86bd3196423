import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { fieldErrors } from '../core/errors.js';
import type { Dialect } from './db/index.js';
import type { Database } from './db/types.js';
import { paramError } from './http/errors.js';
import { toApiError } from './http/params.js';

export type Table =
  | 'plans' | 'addons' | 'coupons' | 'customers' | 'subscriptions' | 'invoices' | 'hosted_pages' | 'portal_sessions'
  | 'payment_sources' | 'transactions' | 'webhook_endpoints';
export type Db = Kysely<Database> | Transaction<Database>;

// `| undefined`: the resources' own optional fields are `T | undefined`, which a consumer's declarations check with
// exactOptionalPropertyTypes must accept here.
interface Stored {
  id: string;
  status?: string | undefined;
  created_at?: number | undefined;
  updated_at?: number | undefined;
  resource_version?: number | undefined;
}

/** Allocates the next value of the site-wide sequence (list tiebreak), inside the caller's transaction. */
export async function nextSeq(db: Db, dialect: Dialect): Promise<number> {
  if (dialect === 'postgres') {
    const r = await sql<{ v: string | number }>`select nextval('list_seq') as v`.execute(db);
    return Number(r.rows[0]!.v);
  }
  const row = await db
    .updateTable('sequences')
    .set({ value: sql`value + 1` })
    .where('name', '=', 'seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

const jsonList = z
  .string()
  .max(5000)
  .transform((s, ctx) => {
    const t = s.trim();
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
    } catch {
      // Chargebee also accepts [a,b] without quotes.
      if (/^\[[^\]]*\]$/.test(t)) return t.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean);
    }
    ctx.addIssue({ code: 'custom', message: 'must be a list such as ["a","b"]' });
    return z.NEVER;
  });
const timeFilter = z
  .object({ after: z.coerce.number().int(), before: z.coerce.number().int(), on: z.coerce.number().int() })
  .partial()
  .strict();
export const stringFilter = <T extends z.ZodType<string>>(value: T) =>
  z.object({ is: value, is_not: value, in: jsonList, not_in: jsonList }).partial().strict();

export const listBase = {
  limit: z.coerce.number().int().min(1).max(100).default(10),
  offset: z.string().max(1000).optional(),
  id: z.object({ is: z.string(), is_not: z.string(), starts_with: z.string(), in: jsonList, not_in: jsonList }).partial().strict().optional(),
  created_at: timeFilter.optional(),
  updated_at: timeFilter.optional(),
  sort_by: z.object({ asc: z.literal('created_at'), desc: z.literal('created_at') }).partial().strict().optional(),
};

/** A filter on one column: `status[is]=active`, `currency_code[in]=["USD","EUR"]`. */
export interface ColumnFilter {
  is?: string | number;
  is_not?: string | number;
  in?: Array<string | number>;
  not_in?: Array<string | number>;
}

export interface ListQuery {
  limit: number;
  offset?: string | undefined;
  id?: { is?: string; is_not?: string; starts_with?: string; in?: string[]; not_in?: string[] } | undefined;
  created_at?: { after?: number; before?: number; on?: number } | undefined;
  updated_at?: { after?: number; before?: number; on?: number } | undefined;
  sort_by?: { asc?: 'created_at'; desc?: 'created_at' } | undefined;
  /** Column filters beyond the common ones. */
  columns?: Record<string, ColumnFilter | undefined>;
}

/** Parses list query parameters with a zod schema, naming bad params the Chargebee way. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const r = schema.safeParse(query);
  if (!r.success) throw toApiError(fieldErrors(r.error));
  return r.data;
}

/** The opaque `next_offset` of keyset pages: the last row's time and sequence. */
export const encodeOffset = (createdAt: number, seq: number) => Buffer.from(JSON.stringify([createdAt, seq])).toString('base64url');
export function decodeOffset(offset: string): [number, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(offset, 'base64url').toString());
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isSafeInteger(x))) return v as [number, number];
  } catch {
    // fall through
  }
  throw paramError('offset', 'is not a value returned as next_offset');
}

/**
 * Catalog resources stored as JSON documents with the columns routes filter by. All writes take the caller's
 * transaction so a multi-row change commits or rolls back whole.
 */
export class ResourceStore<T extends Stored> {
  constructor(
    private readonly table: Table,
    private readonly siteId: string,
    private readonly dialect: Dialect,
    private readonly columns: (r: T) => Record<string, string | number | null> = () => ({}),
  ) {}

  async get(db: Db, id: string): Promise<T | undefined> {
    const row = await db
      .selectFrom(this.table)
      .select('data')
      .where('site_id', '=', this.siteId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  async insert(db: Db, resource: T): Promise<T> {
    const seq = await nextSeq(db, this.dialect);
    await db
      .insertInto(this.table)
      .values({
        site_id: this.siteId,
        id: resource.id,
        seq,
        status: resource.status ?? 'active',
        created_at: resource.created_at ?? 0,
        updated_at: resource.updated_at ?? 0,
        resource_version: resource.resource_version ?? 0,
        data: JSON.stringify(resource),
        ...this.columns(resource),
      } as never)
      .execute();
    return resource;
  }

  async update(db: Db, resource: T): Promise<T> {
    await db
      .updateTable(this.table)
      .set({
        status: resource.status ?? 'active',
        updated_at: resource.updated_at ?? 0,
        resource_version: resource.resource_version ?? 0,
        data: JSON.stringify(resource),
        ...this.columns(resource),
      } as never)
      .where('site_id', '=', this.siteId)
      .where('id', '=', resource.id)
      .execute();
    return resource;
  }

  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom(this.table).where('site_id', '=', this.siteId).where('id', '=', id).execute();
  }

  /** Keyset paging on (created_at, seq); `next_offset` only when more remain. */
  async list(db: Db, q: ListQuery): Promise<{ items: T[]; next_offset?: string }> {
    const desc = q.sort_by?.desc !== undefined || q.sort_by?.asc === undefined;
    if (q.sort_by?.asc && q.sort_by.desc) throw paramError('sort_by', 'give either sort_by[asc] or sort_by[desc], not both');
    let query = db.selectFrom(this.table).select(['data', 'created_at', 'seq']).where('site_id', '=', this.siteId);
    const id = q.id;
    if (id?.is !== undefined) query = query.where('id', '=', id.is);
    if (id?.is_not !== undefined) query = query.where('id', '!=', id.is_not);
    if (id?.starts_with !== undefined) query = query.where('id', 'like', `${id.starts_with.replace(/[\\%_]/g, '\\$&')}%`);
    if (id?.in) query = id.in.length ? query.where('id', 'in', id.in) : query.where(sql<boolean>`1 = 0`);
    if (id?.not_in?.length) query = query.where('id', 'not in', id.not_in);
    for (const [col, f] of [['created_at', q.created_at], ['updated_at', q.updated_at]] as const) {
      if (f?.after !== undefined) query = query.where(col, '>', f.after);
      if (f?.before !== undefined) query = query.where(col, '<', f.before);
      if (f?.on !== undefined) query = query.where(col, '>=', f.on).where(col, '<', f.on + 86_400);
    }
    for (const [col, f] of Object.entries(q.columns ?? {})) {
      if (!f) continue;
      const c = col as 'status';
      if (f.is !== undefined) query = query.where(c, '=', f.is as string);
      if (f.is_not !== undefined) query = query.where(c, '!=', f.is_not as string);
      if (f.in) query = f.in.length ? query.where(c, 'in', f.in as string[]) : query.where(sql<boolean>`1 = 0`);
      if (f.not_in?.length) query = query.where(c, 'not in', f.not_in as string[]);
    }
    if (q.offset) {
      const [at, seq] = decodeOffset(q.offset);
      query = desc
        ? query.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('seq', '<', seq)])]))
        : query.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('seq', '>', seq)])]));
    }
    const dir = desc ? 'desc' : 'asc';
    const rows = await query.orderBy('created_at', dir).orderBy('seq', dir).limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.data) as T),
      ...(rows.length > q.limit && last && { next_offset: encodeOffset(Number(last.created_at), Number(last.seq)) }),
    };
  }

  /** Every row, in creation order (for the catalog and applicability). */
  async all(db: Db, where: { status?: string[] } = {}): Promise<T[]> {
    let query = db.selectFrom(this.table).select('data').where('site_id', '=', this.siteId);
    if (where.status) query = query.where('status', 'in', where.status);
    const rows = await query.orderBy('created_at', 'asc').orderBy('seq', 'asc').execute();
    return rows.map((r) => JSON.parse(r.data) as T);
  }
}

