import { type CompiledQuery, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { invalid } from '../core/errors.js';
import type { ListParams } from '../core/params/list.js';
import type { Dialect } from './db/index.js';
import type { Db } from './db/transaction.js';
import type { Database } from './db/types.js';
import type { StoredHostedPage } from './billing/records.js';
import { GroupCommit } from './db/group-commit.js';
import { readRows } from './db/direct-read.js';
import { SharedGets } from './shared-gets.js';

export type Table =
  | 'plans' | 'addons' | 'coupons' | 'coupon_sets' | 'coupon_codes' | 'customers' | 'subscriptions' | 'invoices' | 'hosted_pages' | 'portal_sessions'
  | 'payment_sources' | 'transactions' | 'webhook_endpoints';

// `| undefined`: the resources' own optional fields are `T | undefined`, which a consumer's declarations check with
// exactOptionalPropertyTypes must accept here.
interface Stored {
  id: string;
  status?: string | undefined;
  created_at?: number | undefined;
  updated_at?: number | undefined;
  resource_version?: number | undefined;
}

/**
 * The next value of the site-wide sequence (list tiebreak), inside the caller's transaction: on PostgreSQL an
 * expression for the insert itself (nextval never waits for another transaction and costs no round trip of its
 * own), on SQLite the counter row's value, incremented in the transaction.
 */
export async function nextSeq(db: Db, dialect: Dialect): Promise<number | RawBuilder<number>> {
  if (dialect === 'postgres') return NEXT_SEQ;
  // Compiled once: every insert runs it, and Kysely would build the statement anew each time.
  sqliteSeq ??= db.updateTable('sequences').set({ value: sql`value + 1` }).where('name', '=', 'seq').returning('value').compile();
  return Number((await db.executeQuery(sqliteSeq)).rows[0]!.value);
}
const NEXT_SEQ = sql<number>`nextval('list_seq')`;
/** Where a compiled statement's id goes (no id is this: ids are at most 100 characters). */
const ID_SLOT = '\u0000id'.padEnd(101, '\u0000');
let sqliteSeq: CompiledQuery<{ value: number }> | undefined;

/** `n` values of the sequence for one multi-row insert, in order, inside the caller's transaction on SQLite. */
async function nextSeqs(db: Db, dialect: Dialect, n: number): Promise<Array<number | RawBuilder<number>>> {
  if (dialect === 'postgres' || n === 1) return [await nextSeq(db, dialect)];
  const last = Number((await db.updateTable('sequences').set({ value: sql`value + ${n}` }).where('name', '=', 'seq').returning('value').executeTakeFirstOrThrow()).value);
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}

/** A filter on one column: `status[is]=active`, `currency_code[in]=["USD","EUR"]`. */
export interface ColumnFilter {
  is?: string | number | undefined;
  is_not?: string | number | undefined;
  in?: Array<string | number> | undefined;
  not_in?: Array<string | number> | undefined;
}

/** A page to read: the paging and common filters of core's list parameters, and filters on named columns. */
export interface ListQuery extends Partial<Omit<ListParams, 'limit'>> {
  limit: number;
  /** Column filters beyond the common ones. */
  columns?: Record<string, ColumnFilter | undefined>;
}

/** The page `q` asks for, filtered on named columns as well. */
export const pageQuery = (q: ListParams, columns: Record<string, ColumnFilter | undefined>): ListQuery => ({ ...q, columns });

/** The opaque `next_offset` of keyset pages: the last row's time and sequence. */
export const encodeOffset = (createdAt: number, seq: number) => Buffer.from(JSON.stringify([createdAt, seq])).toString('base64url');
export function decodeOffset(offset: string): [number, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(offset, 'base64url').toString());
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isSafeInteger(x))) return v as [number, number];
  } catch {
    // fall through
  }
  throw invalid('offset', 'is not a value returned as next_offset');
}

/**
 * Keyset paging on (a time column, seq), the one way every list pages: the rows after those the `offset` ends on, in
 * the order asked. Read one more than the limit, and `pageOf` knows whether a next page exists.
 */
export function afterOffset<Q extends SelectQueryBuilder<Database, keyof Database, object>>(query: Q, column: 'created_at' | 'occurred_at', offset: string | undefined, desc: boolean): Q {
  if (!offset) return query;
  const [at, seq] = decodeOffset(offset);
  const op = sql.raw(desc ? '<' : '>');
  const col = sql.ref(column);
  return query.where(sql<boolean>`(${col} ${op} ${at} or (${col} = ${at} and seq ${op} ${seq}))`) as Q;
}

/** The page from rows read with `limit + 1`, and the offset of the next one while more remain. */
export function pageOf<T>(rows: ReadonlyArray<{ data: string; seq: number | string } & Record<string, unknown>>, column: 'created_at' | 'occurred_at', limit: number): { items: T[]; next_offset?: string } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => JSON.parse(r.data) as T),
    ...(rows.length > limit && last && { next_offset: encodeOffset(Number(last[column]), Number(last.seq)) }),
  };
}

/** A page's order: newest first unless `sort_by[asc]` is given; both at once is refused by name. */
function descending(q: ListQuery): boolean {
  if (q.sort_by?.asc && q.sort_by.desc) throw invalid('sort_by', 'give either sort_by[asc] or sort_by[desc], not both');
  return q.sort_by?.desc !== undefined || q.sort_by?.asc === undefined;
}

/** `created_at[on]` and `updated_at[on]`: the day that starts at the given second. */
const DAY = 86_400;

/** A record as stored: its JSON text and the columns lists filter and page by (a catalog snapshot keeps these). */
export interface StoredRow {
  readonly id: string;
  readonly seq: number;
  readonly status: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly data: string;
  readonly [column: string]: string | number | null;
}

/**
 * Whether `pageInMemory` answers `q` exactly as the database would: every filter but `id[starts_with]`, whose LIKE
 * the two databases run differently (SQLite's ignores ASCII case), so it stays with the database.
 */
export const pagesInMemory = (q: ListQuery): boolean => q.id?.starts_with === undefined;

/** SQL's `=` between a column and a filter value as both databases run it here (a number column against '1' too). */
const same = (a: string | number | null | undefined, b: string | number) => a !== null && a !== undefined && String(a) === String(b);

/**
 * The page `ResourceStore.listJson` reads, from `rows` in memory (every row, in creation order): the same filters,
 * order, offset and errors, for a query `pagesInMemory` accepts.
 */
export function pageInMemory(rows: readonly StoredRow[], q: ListQuery): { items: string[]; next_offset?: string } {
  const desc = descending(q);
  const after = q.offset ? decodeOffset(q.offset) : undefined;
  const id = q.id;
  const times = [['created_at', q.created_at], ['updated_at', q.updated_at]] as const;
  const columns = Object.entries(q.columns ?? {}).filter((e): e is [string, ColumnFilter] => e[1] !== undefined);
  const keep = (r: StoredRow): boolean => {
    if (id?.is !== undefined && r.id !== id.is) return false;
    if (id?.is_not !== undefined && r.id === id.is_not) return false;
    if (id?.in && !id.in.includes(r.id)) return false;
    if (id?.not_in?.length && id.not_in.includes(r.id)) return false;
    for (const [col, f] of times) {
      if (f?.after !== undefined && !(r[col] > f.after)) return false;
      if (f?.before !== undefined && !(r[col] < f.before)) return false;
      if (f?.on !== undefined && !(r[col] >= f.on && r[col] < f.on + DAY)) return false;
    }
    for (const [col, f] of columns) {
      const v = r[col];
      if (f.is !== undefined && !same(v, f.is)) return false;
      if (f.is_not !== undefined && (v === null || same(v, f.is_not))) return false;
      if (f.in && !f.in.some((x) => same(v, x))) return false;
      if (f.not_in?.length && (v === null || f.not_in.some((x) => same(v, x)))) return false;
    }
    if (after) {
      const [at, seq] = after;
      const past = desc ? r.created_at < at || (r.created_at === at && r.seq < seq) : r.created_at > at || (r.created_at === at && r.seq > seq);
      if (!past) return false;
    }
    return true;
  };
  const page: StoredRow[] = [];
  let more = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[desc ? rows.length - 1 - i : i]!;
    if (!keep(r)) continue;
    if (page.length === q.limit) {
      more = true;
      break;
    }
    page.push(r);
  }
  const last = page[page.length - 1];
  return { items: page.map((r) => r.data), ...(more && last && { next_offset: encodeOffset(last.created_at, last.seq) }) };
}

/**
 * Catalog resources stored as JSON documents with the columns routes filter by. All writes take the caller's
 * transaction so a multi-row change commits or rolls back whole.
 */
export class ResourceStore<T extends Stored> {
  constructor(
    private readonly table: Table,
    protected readonly siteId: string,
    protected readonly dialect: Dialect,
    private readonly columns: (r: T) => Record<string, string | number | null> = () => ({}),
    /** Called after every insert, update and removal, in the writer's transaction (the catalog's version). */
    private readonly written: (db: Db) => Promise<void> = async () => {},
  ) {}

  private shared: SharedGets | undefined;

  /**
   * Reads of one record outside a transaction shared by the callers at the same time (shared-gets.ts): for
   * PostgreSQL, where each read is a round trip. A transaction reads its own (its writes included).
   */
  shareGets(): this {
    this.shared = new SharedGets(async (db, ids) => {
      const rows = await db.selectFrom(this.table).select(['id', 'data']).where('site_id', '=', this.siteId).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.data]));
    });
    return this;
  }

  async get(db: Db, id: string): Promise<T | undefined> {
    if (this.shared && !db.isTransaction) {
      const data = await this.shared.get(db, id);
      return data === undefined ? undefined : (JSON.parse(data) as T);
    }
    const [row] = await readRows(db, this.getQuery(db, id));
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  private getCompiled: CompiledQuery<{ data: string }> | undefined;

  /** `get`'s statement, built and compiled by Kysely once (it would build it anew on every call), for `id`. */
  private getQuery(db: Db, id: string): CompiledQuery<{ data: string }> {
    const q = (this.getCompiled ??= db.selectFrom(this.table).select('data').where('site_id', '=', this.siteId).where('id', '=', ID_SLOT).compile());
    return { ...q, parameters: q.parameters.map((p) => (p === ID_SLOT ? id : p)) };
  }

  async insert(db: Db, resource: T): Promise<T> {
    await this.insertMany(db, [resource]);
    return resource;
  }

  /**
   * Rows in one INSERT statement: all or none (on SQLite, where the sequence is a row, pass a transaction when
   * inserting more than one).
   */
  async insertMany(db: Db, resources: readonly T[]): Promise<void> {
    const seqs = await nextSeqs(db, this.dialect, resources.length);
    await db
      .insertInto(this.table)
      .values(resources.map((resource, i) => ({
        site_id: this.siteId,
        id: resource.id,
        seq: seqs[this.dialect === 'postgres' ? 0 : i]!,
        status: resource.status ?? 'active',
        created_at: resource.created_at ?? 0,
        updated_at: resource.updated_at ?? 0,
        resource_version: resource.resource_version ?? 0,
        data: JSON.stringify(resource),
        ...this.columns(resource),
      })) as never)
      .execute();
    await this.written(db);
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
    await this.written(db);
    return resource;
  }

  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom(this.table).where('site_id', '=', this.siteId).where('id', '=', id).execute();
    await this.written(db);
  }

  /** Keyset paging on (created_at, seq); `next_offset` only when more remain. */
  async list(db: Db, q: ListQuery): Promise<{ items: T[]; next_offset?: string }> {
    return pageOf<T>(await this.pageRows(db, q), 'created_at', q.limit);
  }

  /**
   * The page of `list` as each record's stored JSON text, unparsed, for an answer that passes records through as
   * they are: a list's JSON is then spliced together rather than parsed and serialized again.
   */
  async listJson(db: Db, q: ListQuery): Promise<{ items: string[]; next_offset?: string }> {
    const rows = await this.pageRows(db, q);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => r.data), ...(rows.length > q.limit && last && { next_offset: encodeOffset(Number(last.created_at), Number(last.seq)) }) };
  }

  private async pageRows(db: Db, q: ListQuery) {
    const desc = descending(q);
    let query = db.selectFrom(this.table).select(['data', 'created_at', 'seq']).where('site_id', '=', this.siteId);
    const id = q.id;
    if (id?.is !== undefined) query = query.where('id', '=', id.is);
    if (id?.is_not !== undefined) query = query.where('id', '!=', id.is_not);
    // The prefix's \, % and _ escaped, and the escape named: SQLite's LIKE has none unless told (PostgreSQL's is \).
    if (id?.starts_with !== undefined) query = query.where(sql<boolean>`id like ${`${id.starts_with.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`);
    if (id?.in) query = id.in.length ? query.where('id', 'in', id.in) : query.where(sql<boolean>`1 = 0`);
    if (id?.not_in?.length) query = query.where('id', 'not in', id.not_in);
    for (const [col, f] of [['created_at', q.created_at], ['updated_at', q.updated_at]] as const) {
      if (f?.after !== undefined) query = query.where(col, '>', f.after);
      if (f?.before !== undefined) query = query.where(col, '<', f.before);
      if (f?.on !== undefined) query = query.where(col, '>=', f.on).where(col, '<', f.on + DAY);
    }
    for (const [col, f] of Object.entries(q.columns ?? {})) {
      if (!f) continue;
      const c = col as 'status';
      if (f.is !== undefined) query = query.where(c, '=', f.is as string);
      if (f.is_not !== undefined) query = query.where(c, '!=', f.is_not as string);
      if (f.in) query = f.in.length ? query.where(c, 'in', f.in as string[]) : query.where(sql<boolean>`1 = 0`);
      if (f.not_in?.length) query = query.where(c, 'not in', f.not_in as string[]);
    }
    query = afterOffset(query, 'created_at', q.offset, desc);
    const dir = desc ? 'desc' : 'asc';
    return query.orderBy('created_at', dir).orderBy('seq', dir).limit(q.limit + 1).execute();
  }

  /** Every row as stored (JSON text and columns), in creation order: what a catalog snapshot keeps. */
  async allStored(db: Db): Promise<StoredRow[]> {
    const rows = await db.selectFrom(this.table).selectAll().where('site_id', '=', this.siteId).orderBy('created_at', 'asc').orderBy('seq', 'asc').execute();
    return rows.map(({ site_id: _site, resource_version: _version, ...row }) => ({ ...row, seq: Number(row.seq), created_at: Number(row.created_at), updated_at: Number(row.updated_at) }) as StoredRow);
  }

  /** Every row, in creation order (for the catalog and applicability). */
  async all(db: Db, where: { status?: string[] } = {}): Promise<T[]> {
    let query = db.selectFrom(this.table).select('data').where('site_id', '=', this.siteId);
    if (where.status) query = query.where('status', 'in', where.status);
    const rows = await query.orderBy('created_at', 'asc').orderBy('seq', 'asc').execute();
    return rows.map((r) => JSON.parse(r.data) as T);
  }
}

type State = StoredHostedPage['page']['state'];

/** Hosted pages, whose state moves only through `claim`. */
export class HostedPageStore extends ResourceStore<StoredHostedPage> {
  private group: { db: Kysely<Database>; commit: GroupCommit<StoredHostedPage> } | undefined;

  constructor(siteId: string, dialect: Dialect) {
    super('hosted_pages', siteId, dialect, (h) => ({ status: h.page.state, type: h.page.type, token_hash: h.token_hash, expires_at: h.page.expires_at }));
  }

  /**
   * A new page written outside any transaction, together with the pages other requests write at the same time
   * (db/group-commit.ts): one INSERT of them all (on SQLite in one transaction with the sequence row). Resolves once
   * the page has committed; a failure is this page's alone.
   */
  insertGrouped(db: Kysely<Database>, page: StoredHostedPage): Promise<void> {
    if (this.group?.db !== db) {
      const write = this.dialect === 'postgres' ? (rows: readonly StoredHostedPage[]) => this.insertMany(db, rows) : (rows: readonly StoredHostedPage[]) => db.transaction().execute((trx) => this.insertMany(trx, rows));
      this.group = { db, commit: new GroupCommit(write, 100, this.dialect === 'postgres' ? 'microtask' : 'turn') };
    }
    return this.group.commit.add(page);
  }

  /** For a shutdown: the grouped pages already taken are written; later ones are refused (GroupCommit.close). */
  async closeGrouped(): Promise<void> {
    await this.group?.commit.close();
  }

  /**
   * Moves page `id` to state `to` if it is in one of `from` (and, with `openAt`, not expired at that time). On
   * PostgreSQL the row then stays locked to the caller's transaction: a second claim waits, and finds the page moved
   * on. Read the page after claiming it, and store the whole record with `update`. Returns whether this call moved it.
   */
  async claim(trx: Db, id: string, from: ReadonlyArray<State>, to: State, at: number, openAt?: number): Promise<boolean> {
    let q = trx.updateTable('hosted_pages').set({ status: to, updated_at: at }).where('site_id', '=', this.siteId).where('id', '=', id).where('status', 'in', [...from]);
    if (openAt !== undefined) q = q.where('expires_at', '>', openAt);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
