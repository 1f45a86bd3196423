import { randomUUID } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import { type Applicability, applicableAddons } from '../core/applicability.js';
import type { Addon } from '../core/schemas/addon.js';
import type { Plan } from '../core/schemas/plan.js';
import { readRows } from './db/direct-read.js';
import type { Db } from './db/transaction.js';
import { SharedRead } from './shared-read.js';
import { type ListQuery, pageInMemory, pagesInMemory, type ResourceStore, type StoredRow } from './store.js';

export type CatalogKind = 'plans' | 'addons';

/**
 * The site's plans and addons as one read-only snapshot of a catalog version. Records are frozen: they are shared by
 * every request that reads this version, and a caller that changes one must copy it (which the services do).
 */
export interface CatalogSnapshot {
  readonly version: string;
  readonly plans: readonly Plan[];
  /** Every addon, archived ones included, in creation order (the estimates' catalog). */
  readonly addons: readonly Addon[];
  readonly activeAddons: readonly Addon[];
  plan(id: string): Plan | undefined;
  addon(id: string): Addon | undefined;
  /** The rows as stored (each record's JSON text and the columns lists filter by), in creation order. */
  readonly stored: { readonly [K in CatalogKind]: readonly StoredRow[] };
  /** A record's stored JSON text, for an answer that passes it through as it is. */
  json(kind: CatalogKind, id: string): string | undefined;
  /** A value derived from this version only (a browser's catalog answer, say), made once per version and key. */
  derived<T>(key: string, make: (s: CatalogSnapshot) => T): T;
  /**
   * A plan's applicability over this version's addons, worked out once per plan (frozen, shared by every request);
   * a plan that is not frozen (a caller's copy) is worked out each time, as it may change.
   */
  applicability(plan: Plan): Applicability;
  /**
   * A whole answer made from this version only (a list page's body for one query string), made once per key while
   * there is room: at most ANSWERS_PER_VERSION answers and ANSWER_BYTES of keys and bodies in all, so queries nobody
   * repeats (or an attacker's) cannot grow it. An answer that throws (a bad parameter) is not kept, nor one that
   * `make` says is not made from this version alone (undefined).
   */
  answer(key: string, make: () => string | undefined): string | undefined;
}

export const ANSWERS_PER_VERSION = 256;
export const ANSWER_BYTES = 8_000_000;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function snapshotOf(version: string, planRows: StoredRow[], addonRows: StoredRow[]): CatalogSnapshot {
  const plans = planRows.map((r) => JSON.parse(r.data) as Plan);
  const addons = addonRows.map((r) => JSON.parse(r.data) as Addon);
  const stored = { plans: Object.freeze(planRows.map((r) => Object.freeze(r))), addons: Object.freeze(addonRows.map((r) => Object.freeze(r))) };
  const jsonById = { plans: new Map(planRows.map((r) => [r.id, r.data])), addons: new Map(addonRows.map((r) => [r.id, r.data])) };
  const planById = new Map(plans.map((p) => [p.id, deepFreeze(p)]));
  const addonById = new Map(addons.map((a) => [a.id, deepFreeze(a)]));
  const memo = new Map<string, unknown>();
  const applicabilities = new WeakMap<Plan, Applicability>();
  const answers = new Map<string, string>();
  let answerBytes = 0;
  const snapshot: CatalogSnapshot = {
    version,
    plans: Object.freeze(plans),
    addons: Object.freeze(addons),
    activeAddons: Object.freeze(addons.filter((a) => a.status === 'active')),
    plan: (id) => planById.get(id),
    addon: (id) => addonById.get(id),
    stored,
    json: (kind, id) => jsonById[kind].get(id),
    derived<T>(key: string, make: (s: CatalogSnapshot) => T): T {
      if (!memo.has(key)) memo.set(key, make(snapshot));
      return memo.get(key) as T;
    },
    applicability(plan) {
      if (!Object.isFrozen(plan)) return applicableAddons(plan, snapshot.addons);
      let a = applicabilities.get(plan);
      if (!a) applicabilities.set(plan, (a = deepFreeze(applicableAddons(plan, snapshot.addons))));
      return a;
    },
    answer(key, make) {
      const held = answers.get(key);
      if (held !== undefined) return held;
      const made = make();
      if (made === undefined) return undefined;
      // String lengths in UTF-16 units: a bound, not an exact byte count, which is all it needs to be.
      const size = key.length + made.length;
      if (answers.size < ANSWERS_PER_VERSION && answerBytes + size <= ANSWER_BYTES) {
        answers.set(key, made);
        answerBytes += size;
      }
      return made;
    },
  };
  return snapshot;
}

/**
 * The catalog of one site held in memory, as correct as reading it: every write to plans or addons sets the site's
 * catalog version (a fresh random value, in the writer's transaction), and every read first reads that one row; the
 * snapshot in memory serves the read only while its version is the one in the database. So a price changed through
 * any instance is seen by the next request on every instance, on SQLite and PostgreSQL alike.
 *
 * Why it holds: the version is read before the rows, so the rows are never older than the version they are kept
 * under (a write committing in between only makes them newer, and its new version makes the next read load again).
 * Versions never repeat, so a write that rolled back leaves no version that could match later. A transaction that
 * wrote the catalog reads its own uncommitted rows and never fills the cache. Within one transaction the snapshot
 * is read once. On PostgreSQL, requests at the same time share a version read, but only one sent after they
 * arrived (shared-read.ts), so each still sees every commit made before it arrived. On SQLite the requests of one
 * event-loop turn share one, made after they arrived and dropped by any write (turn-read.ts).
 */
export class CatalogStore {
  private cached: CatalogSnapshot | undefined;
  private loading: { version: string; promise: Promise<CatalogSnapshot> } | undefined;
  private readonly perTransaction = new WeakMap<Db, CatalogSnapshot>();
  private readonly wrote = new WeakSet<Db>();
  private versionQuery: CompiledQuery<{ version: string }> | undefined;
  private readonly versions = new SharedRead((db) => this.readVersion(db));

  /**
   * `sharesReads`: concurrent requests share version reads, transactions' included (which may carry others' reads
   * on their connection): for PostgreSQL, where a read is a round trip and each statement of a transaction sees
   * every commit made before it (READ COMMITTED, its default). Not on SQLite, where requests seldom overlap on
   * its one in-process connection: there the version read outside a transaction is shared by the requests of one
   * event-loop turn instead, until anything is written (readRows, turn-read.ts), and a transaction reads from the
   * snapshot its first read took.
   */
  constructor(
    private readonly siteId: string,
    private readonly plans: ResourceStore<Plan>,
    private readonly addons: ResourceStore<Addon>,
    private readonly sharesReads: boolean,
  ) {}

  /**
   * Marks the catalog changed: the stores of plans and addons call it after every write, in the writer's transaction.
   * (A write outside a transaction, such as seeding, commits just before its version does: for that instant a reader
   * may still be served the rows as they were.)
   */
  async touch(db: Db): Promise<void> {
    if (db.isTransaction) {
      this.wrote.add(db);
      this.perTransaction.delete(db);
    }
    const version = randomUUID();
    await db
      .insertInto('catalog_versions')
      .values({ site_id: this.siteId, version })
      .onConflict((oc) => oc.column('site_id').doUpdateSet({ version }))
      .execute();
  }

  async snapshot(db: Db): Promise<CatalogSnapshot> {
    const held = db.isTransaction ? this.perTransaction.get(db) : undefined;
    if (held) return held;
    const own = !this.sharesReads || this.wrote.has(db);
    const version = own ? await this.readVersion(db) : await this.versions.read(db);
    let snap: CatalogSnapshot;
    if (this.wrote.has(db)) {
      snap = await this.load(db, version);
    } else if (this.cached?.version === version) {
      snap = this.cached;
    } else if (!db.isTransaction) {
      // Requests outside a transaction share one load per version (inside one, a load must use the transaction's
      // connection: SQLite has a single connection, which a load outside would wait for).
      if (this.loading?.version !== version) {
        const promise = this.load(db, version).finally(() => {
          if (this.loading?.promise === promise) this.loading = undefined;
        });
        this.loading = { version, promise };
      }
      snap = await this.loading.promise;
      this.cached = snap;
    } else {
      snap = await this.load(db, version);
      this.cached = snap;
    }
    if (db.isTransaction) this.perTransaction.set(db, snap);
    return snap;
  }

  /**
   * A list answer's body for one raw query string: from this version's answers when the same query was answered
   * before, else `parse` reads the query (throwing on a bad one) and the page is rendered and kept. Only pages made
   * from memory are kept; the rest (an id prefix) are read from the database each time.
   */
  async listBody(db: Db, kind: CatalogKind, rawQuery: string, parse: () => ListQuery, render: (page: { items: string[]; next_offset?: string }) => string): Promise<string> {
    const snap = await this.snapshot(db);
    let query = undefined as ListQuery | undefined;
    const kept = snap.answer(`${kind}?${rawQuery}`, () => {
      query = parse();
      return pagesInMemory(query) ? render(pageInMemory(snap.stored[kind], query)) : undefined;
    });
    return kept ?? render(await this[kind].listJson(db, query!));
  }

  /** A plan's or an addon's stored JSON text, or undefined. */
  async json(db: Db, kind: CatalogKind, id: string): Promise<string | undefined> {
    return (await this.snapshot(db)).json(kind, id);
  }

  /** The one query every catalog read makes, compiled once (Kysely builds a statement anew on every call). */
  private async readVersion(db: Db): Promise<string> {
    this.versionQuery ??= db.selectFrom('catalog_versions').select('version').where('site_id', '=', this.siteId).compile();
    return (await readRows(db, this.versionQuery))[0]?.version ?? '';
  }

  private async load(db: Db, version: string): Promise<CatalogSnapshot> {
    return snapshotOf(version, await this.plans.allStored(db), await this.addons.allStored(db));
  }
}
