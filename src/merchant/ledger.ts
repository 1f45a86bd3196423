import { type Generated, type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { packCredits } from '../core/credits.js';
import { type Dialect, openDatabase } from '../server/db/index.js';
import { ledgerMigrations } from './ledger-migrations.js';
import type { WebhookEvent } from './webhooks.js';

/** The ledger's tables, in the merchant's own database. */
export interface LedgerDatabase {
  credit_accounts: { account_id: string; balance: number; created_at: number; updated_at: number };
  credit_entries: {
    id: Generated<number>;
    account_id: string;
    /** Signed: a purchase or grant adds, usage subtracts. */
    amount: number;
    balance_after: number;
    kind: EntryKind;
    /** The webhook event that brought it (purchases). */
    event_id: string | null;
    invoice_id: string | null;
    addon_id: string | null;
    /** The caller's idempotency key for usage and grants: the same key is applied once. */
    reference: string | null;
    description: string | null;
    created_at: number;
  };
  processed_events: { event_id: string; event_type: string; occurred_at: number; processed_at: number; outcome: string };
  seen_signatures: { signature: string; seen_at: number };
}

export type EntryKind = 'purchase' | 'usage' | 'grant';

/** One line of an account's history. */
export interface LedgerEntry {
  readonly id: number;
  readonly accountId: string;
  readonly amount: number;
  readonly balanceAfter: number;
  readonly kind: EntryKind;
  readonly eventId?: string | undefined;
  readonly invoiceId?: string | undefined;
  readonly addonId?: string | undefined;
  readonly reference?: string | undefined;
  readonly description?: string | undefined;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** What a debit or a credit did. */
export interface Movement {
  readonly accountId: string;
  readonly balance: number;
  readonly entry: LedgerEntry;
  /** The balance is below the ledger's threshold. */
  readonly low: boolean;
  /** This movement took the balance from at or above the threshold to below it. */
  readonly crossedThreshold: boolean;
  /** The same reference was applied before: nothing changed, this is that earlier entry. */
  readonly replayed: boolean;
}

export type EventOutcome =
  | { readonly status: 'processed'; readonly credited: ReadonlyArray<{ accountId: string; addonId: string; quantity: number; credits: number; balance: number }> }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'duplicate' };

export { packCredits };

/** A debit larger than the balance. Nothing was taken. */
export class InsufficientCreditsError extends Error {
  readonly code = 'insufficient_credits';
  constructor(
    readonly accountId: string,
    readonly balance: number,
    readonly requested: number,
  ) {
    super(`Not enough credits: ${String(requested)} requested, ${String(balance)} left.`);
  }
}

/** Bad input to the ledger (a non-positive amount, an over-long id): names the field. */
export class LedgerInputError extends Error {
  readonly code = 'invalid_input';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface LedgerOptions {
  /** PostgreSQL URL; without it, SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** Where the SQLite file lives (default `.paylit-merchant`). */
  readonly dataDir?: string | undefined;
  /** PostgreSQL schema (created if missing). */
  readonly schema?: string | undefined;
  /** How many credits one unit of this addon grants; `undefined` when it is not a credit pack. See `packCredits`. */
  readonly creditsPerPack: (addonId: string) => number | undefined | Promise<number | undefined>;
  /** Whose balance a paid invoice tops up (default: the invoice's customer). */
  readonly accountOf?: ((invoice: PaidInvoice) => string) | undefined;
  /** Below this balance an account is "low" (default 0: never). */
  readonly lowBalanceThreshold?: number | undefined;
  /** Called after a debit takes an account below the threshold. */
  readonly onLowBalance?: ((accountId: string, balance: number) => void) | undefined;
  /** Unix seconds (default: the system clock). */
  readonly now?: (() => number) | undefined;
}

const id = z.string().min(1).max(100);
const credits = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The parts of a `payment_succeeded` event the ledger reads; anything else is left alone. */
const paidInvoiceSchema = z.looseObject({
  id,
  customer_id: id,
  subscription_id: id.optional(),
  line_items: z.array(
    z.looseObject({
      entity_type: z.string(),
      entity_id: id.optional(),
      quantity: z.number().int().min(0),
    }),
  ),
});
export type PaidInvoice = z.infer<typeof paidInvoiceSchema>;

type Row = LedgerDatabase['credit_entries'] & { id: number };
const toEntry = (r: Row): LedgerEntry => ({
  id: Number(r.id),
  accountId: r.account_id,
  amount: Number(r.amount),
  balanceAfter: Number(r.balance_after),
  kind: r.kind,
  ...(r.event_id !== null && { eventId: r.event_id }),
  ...(r.invoice_id !== null && { invoiceId: r.invoice_id }),
  ...(r.addon_id !== null && { addonId: r.addon_id }),
  ...(r.reference !== null && { reference: r.reference }),
  ...(r.description !== null && { description: r.description }),
  createdAt: Number(r.created_at),
});

const parse = <T>(schema: z.ZodType<T>, v: unknown, field: string): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new LedgerInputError(field, r.error.issues[0]?.message ?? 'is not valid');
  return r.data;
};

/**
 * Each customer's prepaid credits, kept on the merchant's own database. Purchases arrive as `payment_succeeded`
 * webhooks (each event applied once, by id); usage is debited atomically and never takes a balance below zero;
 * every movement is kept with the balance after it.
 */
export class CreditLedger {
  private constructor(
    readonly db: Kysely<LedgerDatabase>,
    readonly dialect: Dialect,
    private readonly o: LedgerOptions,
    private readonly closeDb: () => Promise<void>,
  ) {}

  /** Opens (and migrates) the ledger's database. */
  static async open(o: LedgerOptions): Promise<CreditLedger> {
    const threshold = o.lowBalanceThreshold ?? 0;
    parse(z.number().int().min(0), threshold, 'lowBalanceThreshold');
    const s = await openDatabase<LedgerDatabase>({
      databaseUrl: o.databaseUrl,
      dataDir: o.dataDir ?? '.paylit-merchant',
      schema: o.schema,
      fileName: 'ledger.sqlite',
      migrations: ledgerMigrations,
      migrationTable: 'paylit_ledger_migrations',
    });
    return new CreditLedger(s.db, s.dialect, o, s.close);
  }

  get threshold(): number {
    return this.o.lowBalanceThreshold ?? 0;
  }

  private now(): number {
    return this.o.now?.() ?? Math.floor(Date.now() / 1000);
  }

  /** Whether a balance is below the threshold. */
  isLow(balance: number): boolean {
    return balance < this.threshold;
  }

  async balance(accountId: string): Promise<number> {
    parse(id, accountId, 'accountId');
    const row = await this.db.selectFrom('credit_accounts').select('balance').where('account_id', '=', accountId).executeTakeFirst();
    return row ? Number(row.balance) : 0;
  }

  /** The account's movements, newest first. `before` pages on: pass the last entry's id. */
  async history(accountId: string, o: { limit?: number; before?: number } = {}): Promise<LedgerEntry[]> {
    parse(id, accountId, 'accountId');
    const limit = parse(z.number().int().min(1).max(1000), o.limit ?? 50, 'limit');
    let q = this.db.selectFrom('credit_entries').selectAll().where('account_id', '=', accountId);
    if (o.before !== undefined) q = q.where('id', '<', parse(z.number().int(), o.before, 'before'));
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => toEntry(r as Row));
  }

  /**
   * Takes `amount` credits for usage, all or nothing. With a `reference` (say, the request's idempotency key) the
   * same usage is taken once however often it is sent. Throws InsufficientCreditsError when the balance is short.
   */
  async debit(accountId: string, amount: number, o: { reference?: string; description?: string } = {}): Promise<Movement> {
    return this.move(accountId, -parse(credits, amount, 'amount'), 'usage', o);
  }

  /** Adds credits by hand (a goodwill grant, a migration); `reference` makes it idempotent. */
  async grant(accountId: string, amount: number, o: { reference?: string; description?: string } = {}): Promise<Movement> {
    return this.move(accountId, parse(credits, amount, 'amount'), 'grant', o);
  }

  private async move(accountId: string, delta: number, kind: EntryKind, o: { reference?: string | undefined; description?: string | undefined }): Promise<Movement> {
    parse(id, accountId, 'accountId');
    const reference = o.reference === undefined ? undefined : parse(z.string().min(1).max(200), o.reference, 'reference');
    const description = o.description === undefined ? undefined : parse(z.string().max(500), o.description, 'description');
    const earlier = async (db: Kysely<LedgerDatabase>) => {
      if (reference === undefined) return undefined;
      const row = await db.selectFrom('credit_entries').selectAll().where('account_id', '=', accountId).where('reference', '=', reference).executeTakeFirst();
      return row && { entry: toEntry(row as Row), before: Number(row.balance_after), replayed: true };
    };
    let result: { entry: LedgerEntry; before: number; replayed: boolean };
    try {
      result = await this.db.transaction().execute(async (trx) => (await earlier(trx)) ?? { ...(await this.apply(trx, accountId, delta, { kind, reference, description })), replayed: false });
    } catch (e) {
      // The same reference sent twice at once: the unique index let one through; the other is that one.
      const first = reference !== undefined && !(e instanceof InsufficientCreditsError) ? await earlier(this.db) : undefined;
      if (!first) throw e;
      result = first;
    }
    const balance = result.entry.balanceAfter;
    const crossed = !result.replayed && !this.isLow(result.before) && this.isLow(balance);
    if (crossed) this.o.onLowBalance?.(accountId, balance);
    return { accountId, balance, entry: result.entry, low: this.isLow(balance), crossedThreshold: crossed, replayed: result.replayed };
  }

  /**
   * Changes a balance by `delta` in one statement: a debit only matches while the balance covers it, so concurrent
   * debits cannot overdraw it on either database (row lock on PostgreSQL, one writer on SQLite).
   */
  private async apply(
    trx: Kysely<LedgerDatabase>,
    accountId: string,
    delta: number,
    e: { kind: EntryKind; reference?: string | undefined; description?: string | undefined; eventId?: string; invoiceId?: string; addonId?: string },
  ): Promise<{ entry: LedgerEntry; before: number }> {
    const now = this.now();
    if (delta > 0) {
      await trx
        .insertInto('credit_accounts')
        .values({ account_id: accountId, balance: 0, created_at: now, updated_at: now })
        .onConflict((c) => c.column('account_id').doNothing())
        .execute();
    }
    const row = await trx
      .updateTable('credit_accounts')
      .set({ balance: sql`balance + ${delta}`, updated_at: now })
      .where('account_id', '=', accountId)
      .where('balance', '>=', Math.max(0, -delta))
      .returning('balance')
      .executeTakeFirst();
    if (!row) {
      const current = await trx.selectFrom('credit_accounts').select('balance').where('account_id', '=', accountId).executeTakeFirst();
      throw new InsufficientCreditsError(accountId, current ? Number(current.balance) : 0, -delta);
    }
    const after = Number(row.balance);
    const inserted = await trx
      .insertInto('credit_entries')
      .values({
        account_id: accountId,
        amount: delta,
        balance_after: after,
        kind: e.kind,
        event_id: e.eventId ?? null,
        invoice_id: e.invoiceId ?? null,
        addon_id: e.addonId ?? null,
        reference: e.reference ?? null,
        description: e.description ?? null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { entry: toEntry(inserted as Row), before: after - delta };
  }

  /**
   * Applies a webhook event once. `payment_succeeded` credits quantity × credits-per-pack for each credit-pack line
   * of the paid invoice; other events are recorded and ignored. A redelivered event (same id) changes nothing.
   * Throws when the event cannot be applied (its record is not kept, so the sender's retry applies it later).
   */
  async handleEvent(event: WebhookEvent): Promise<EventOutcome> {
    if (await this.seen(event.id)) return { status: 'duplicate' };
    // Look the packs up before the transaction: it may be a call to the billing API.
    const lines: Array<{ addonId: string; quantity: number; perPack: number }> = [];
    let invoice: PaidInvoice | undefined;
    let ignored: string | undefined;
    if (event.event_type === 'payment_succeeded') {
      invoice = parse(paidInvoiceSchema, event.content.invoice, 'content.invoice');
      for (const li of invoice.line_items) {
        if (li.entity_type !== 'addon' || !li.entity_id || li.quantity < 1) continue;
        const perPack = await this.o.creditsPerPack(li.entity_id);
        if (perPack !== undefined) lines.push({ addonId: li.entity_id, quantity: li.quantity, perPack: parse(credits, perPack, `creditsPerPack(${li.entity_id})`) });
      }
      if (!lines.length) ignored = 'the invoice has no credit packs';
    } else {
      ignored = `${event.event_type} does not move credits`;
    }
    const account = invoice ? parse(id, (this.o.accountOf ?? ((i: PaidInvoice) => i.customer_id))(invoice), 'accountOf(invoice)') : undefined;
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const first = await trx
        .insertInto('processed_events')
        .values({ event_id: event.id, event_type: event.event_type, occurred_at: event.occurred_at, processed_at: now, outcome: ignored ?? 'credited' })
        .onConflict((c) => c.column('event_id').doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!first) return { status: 'duplicate' } as const;
      if (ignored !== undefined || !invoice || !account) {
        return { status: 'ignored', reason: ignored ?? 'nothing to do' } as const;
      }
      const credited = [];
      for (const l of lines) {
        const amount = l.quantity * l.perPack;
        const { entry } = await this.apply(trx, account, amount, {
          kind: 'purchase',
          eventId: event.id,
          invoiceId: invoice.id,
          addonId: l.addonId,
          description: `${String(l.quantity)} × ${l.addonId}`,
        });
        credited.push({ accountId: account, addonId: l.addonId, quantity: l.quantity, credits: amount, balance: entry.balanceAfter });
      }
      return { status: 'processed', credited } as const;
    });
  }

  /** Whether the event was applied already. */
  async seen(eventId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('processed_events').select('event_id').where('event_id', '=', eventId).executeTakeFirst());
  }

  /**
   * Records a signed delivery's signature; false when it was seen before (an exact replay). Signatures older than
   * `keepSeconds` are forgotten: the timestamp check refuses those deliveries anyway.
   */
  async firstSighting(signature: string, keepSeconds: number): Promise<boolean> {
    const now = Math.floor(Date.now() / 1000);
    const row = await this.db
      .insertInto('seen_signatures')
      .values({ signature, seen_at: now })
      .onConflict((c) => c.column('signature').doNothing())
      .returning('signature')
      .executeTakeFirst();
    await this.db.deleteFrom('seen_signatures').where('seen_at', '<', now - keepSeconds).execute();
    return !!row;
  }

  async close(): Promise<void> {
    await this.closeDb();
  }
}
