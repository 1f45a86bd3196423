import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';
import type { Dialect } from '../db/index.js';
import type { Database, WebhookDeliveryRow } from '../db/types.js';
import { type EndpointConfig, endpointById } from './endpoints.js';

/**
 * The documented retry schedule: after a failed attempt, the next comes this long after it. Eight attempts over
 * about two days, as Chargebee does; after the last one the delivery is marked failed.
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** What a claim keeps after a send's timeout, to record the result before another instance may take it up. */
const RECORD_MS = 1_000;

export interface DelivererOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly siteId: string;
  readonly envEndpoint?: EndpointConfig | undefined;
  /** Wait after failed attempt n (1-based) before attempt n+1; its length + 1 is the number of attempts. */
  readonly retryScheduleMs: readonly number[];
  /** An endpoint that has not answered in this time counts as failed. */
  readonly timeoutMs: number;
  /** How often the worker looks for due deliveries when nothing wakes it. */
  readonly pollMs: number;
  readonly log?: (line: string) => void;
  /** How many attempts may be out at once (default 32). */
  readonly maxInFlight?: number;
}

/**
 * Posts each outbox event to each endpoint, at least once, with stable event ids. Deliveries are claimed in a short
 * transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL) that also writes the attempt's log row, whose primary key
 * (delivery, attempt) makes it impossible for two instances to send the same attempt. A claim holds a lease of the
 * timeout plus a margin: if this process dies mid-attempt, another instance (or this one, restarted) takes the
 * delivery up again when the lease runs out. A send never outlives its lease: one that would (the claim waited,
 * the process was busy) first extends it, and only while the claim is still its own.
 */
export class WebhookDeliverer {
  readonly instance = `wkr_${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly inflight = new Set<Promise<void>>();
  /** Aborts the sends in flight when the deliverer stops. */
  private stopping = new AbortController();

  constructor(private readonly o: DelivererOptions) {}

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    this.schedule(0);
  }

  /**
   * Stops claiming, cuts the sends in flight short and waits for their attempts to be recorded: each delivery is due
   * again at once, for another instance or this one restarted.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopping.abort();
    await this.running;
    await Promise.all(this.inflight);
  }

  /** Something was written: look now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.again ? 0 : this.o.pollMs);
        this.again = false;
      });
    }, ms);
    this.timer.unref();
  }

  /**
   * Claims due deliveries while there is room and starts them without waiting: a slow endpoint holds its own
   * attempts, never the others'. A finished attempt wakes the loop again.
   */
  private async loop(): Promise<void> {
    try {
      for (;;) {
        const room = (this.o.maxInFlight ?? 32) - this.inflight.size;
        if (this.stopped || room <= 0) return;
        const claimed = await this.claim(room);
        for (const d of claimed) {
          const p: Promise<void> = this.attempt(d)
            .catch((e: unknown) => this.o.log?.(`webhooks: ${e instanceof Error ? e.message : String(e)}`))
            .finally(() => {
              this.inflight.delete(p);
              this.kick();
            });
          this.inflight.add(p);
        }
        if (claimed.length < room) return;
      }
    } catch (e) {
      this.o.log?.(`webhooks: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async claim(batch: number): Promise<WebhookDeliveryRow[]> {
    const { db, dialect, siteId } = this.o;
    const now = Date.now();
    const lease = now + this.leaseMs();
    return db.transaction().execute(async (trx) => {
      const due = sql`select id from webhook_deliveries
        where site_id = ${siteId}
          and ((status = 'pending' and next_attempt_at <= ${now}) or (status = 'delivering' and locked_until < ${now}))
        order by next_attempt_at
        limit ${batch}`;
      const locked = dialect === 'postgres' ? sql`${due} for update skip locked` : due;
      const rows = await sql<WebhookDeliveryRow>`update webhook_deliveries
        set status = 'delivering', attempts = attempts + 1, locked_until = ${lease}, updated_at = ${now}
        where id in (${locked})
        returning *`.execute(trx);
      for (const d of rows.rows) {
        d.attempts = Number(d.attempts);
        d.locked_until = Number(d.locked_until);
        if (d.attempts > 1) {
          // An attempt whose result was never written: its instance stopped while it was out.
          await trx
            .updateTable('webhook_attempts')
            .set({ error: 'no result recorded: the sending instance stopped during the attempt' })
            .where('delivery_id', '=', d.id)
            .where('attempt', '=', d.attempts - 1)
            .where('status_code', 'is', null)
            .where('error', 'is', null)
            .execute();
        }
        await trx.insertInto('webhook_attempts').values({ delivery_id: d.id, attempt: d.attempts, instance: this.instance, started_at: now, duration_ms: null, status_code: null, error: null, next_retry_at: null }).execute();
      }
      return rows.rows;
    });
  }

  /**
   * A claim's length: the attempt's timeout and a margin. A send needs RECORD_MS of it left after its timeout; the
   * rest is slack for the reads between claim and send, so a prompt send never has to renew.
   */
  private leaseMs(): number {
    return this.o.timeoutMs + Math.max(2 * RECORD_MS, Math.min(5_000, this.o.timeoutMs));
  }

  /**
   * Extends the lease of the claim that made attempt `d.attempts`, so a send started now ends inside it. False when
   * the claim is no longer this attempt's (its lease ran out and another instance took the delivery).
   */
  private async renew(d: WebhookDeliveryRow): Promise<boolean> {
    const lease = Date.now() + this.leaseMs();
    const r = await this.o.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: lease })
      .where('id', '=', d.id)
      .where('status', '=', 'delivering')
      .where('attempts', '=', d.attempts)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    d.locked_until = lease;
    return true;
  }

  private async attempt(d: WebhookDeliveryRow): Promise<void> {
    const { db, siteId } = this.o;
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    let cutShort = false;
    const endpoint = await endpointById(db, siteId, d.endpoint_id, this.o.envEndpoint);
    const event = await db.selectFrom('events').select('data').where('site_id', '=', siteId).where('id', '=', d.event_id).executeTakeFirst();
    if (!endpoint) error = 'the endpoint no longer exists';
    else if (!event) error = 'the event no longer exists';
    else {
      // The send's timeout and the recording's margin must fit in the lease, or another instance could send too.
      if (Date.now() + this.o.timeoutMs + RECORD_MS > (d.locked_until ?? 0) && !(await this.renew(d))) {
        this.o.log?.(`webhook ${d.event_id} -> ${d.endpoint_id} attempt ${String(d.attempts)}: not sent, its lease ran out before the send`);
        return;
      }
      try {
        const res = await fetch(endpoint.url, {
          method: 'POST',
          body: event.data,
          headers: headersFor(endpoint, event.data),
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.stopping.signal]),
        });
        status = res.status;
        await res.body?.cancel();
      } catch (e) {
        cutShort = this.stopping.signal.aborted;
        error = cutShort
          ? 'no result recorded: the sending instance stopped during the attempt'
          : e instanceof Error && e.name === 'TimeoutError'
            ? `no answer within ${String(this.o.timeoutMs)} ms`
            : describe(e);
      }
    }
    const ok = status !== null && status >= 200 && status < 300;
    const gone = !endpoint || !event;
    const wait = this.o.retryScheduleMs[d.attempts - 1];
    const finished = Date.now();
    // Cut short by stop(): due again at once, as after a crash, but without waiting out the lease.
    const next = cutShort ? finished : ok || gone || wait === undefined ? null : finished + wait;
    const outcome = ok ? 'succeeded' : next === null ? 'failed' : 'pending';
    if (!ok && status !== null) error = `HTTP ${String(status)}`;
    const recorded = await db.transaction().execute(async (trx) => {
      // Guarded: only the claim that made this attempt may record it. A stale one (its lease ran out and another
      // claim took the delivery) changes nothing, not even its attempt's row, which that claim has already closed.
      const r = await trx
        .updateTable('webhook_deliveries')
        .set({ status: outcome, next_attempt_at: next, locked_until: null, updated_at: finished })
        .where('id', '=', d.id)
        .where('status', '=', 'delivering')
        .where('attempts', '=', d.attempts)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await trx
        .updateTable('webhook_attempts')
        .set({ started_at: started, duration_ms: finished - started, status_code: status, error, next_retry_at: next })
        .where('delivery_id', '=', d.id)
        .where('attempt', '=', d.attempts)
        .execute();
      return true;
    });
    if (!recorded) {
      this.o.log?.(`webhook ${d.event_id} -> ${d.endpoint_id} attempt ${String(d.attempts)}: result not recorded, another claim took the delivery`);
      return;
    }
    this.o.log?.(
      `webhook ${d.event_id} -> ${d.endpoint_id} attempt ${String(d.attempts)}: ${ok ? String(status) : (error ?? 'failed')} in ${String(finished - started)}ms` +
        (next !== null ? `; next attempt at ${new Date(next).toISOString()}` : outcome === 'failed' ? '; giving up' : ''),
    );
  }
}

function headersFor(e: EndpointConfig, body: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Paylit-Webhooks/1' };
  if (e.username !== undefined) h.authorization = `Basic ${Buffer.from(`${e.username}:${e.password ?? ''}`).toString('base64')}`;
  if (e.secret) h[SIGNATURE_HEADER] = signatureHeader(e.secret, Math.floor(Date.now() / 1000), body);
  return h;
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}

/** "50ms,1s,5m,2h" -> milliseconds. */
export function parseDurations(s: string): number[] {
  return s.split(',').map((x) => parseDuration(x.trim()));
}

export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(s);
  if (!m) throw new Error(`"${s}" is not a duration such as 500ms, 30s, 5m, 2h or 1d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}
