import { sql } from 'kysely';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import type { WebhookDeliveryRow } from '../db/types.js';
import { invalid } from '../../core/errors.js';
import { notFound } from '../errors.js';
import { afterOffset, type ColumnFilter, pageOf } from '../store.js';
import type { StoredEvent } from './outbox.js';

export interface EventQuery {
  readonly limit: number;
  readonly offset?: string | undefined;
  readonly event_type?: ColumnFilter | undefined;
  readonly source?: ColumnFilter | undefined;
  readonly occurred_at?: { after?: number | undefined; before?: number | undefined; on?: number | undefined; between?: readonly [number, number] | undefined } | undefined;
  readonly sort_by?: { asc?: 'occurred_at' | undefined; desc?: 'occurred_at' | undefined } | undefined;
}

/** An event with Chargebee's webhook_status, from its deliveries. */
export type EventWithStatus = StoredEvent & { webhook_status: string; webhooks: Array<{ id: string; webhook_status: string; object: 'webhook' }> };

const deliveryStatus = (x: WebhookDeliveryRow) => (x.status === 'succeeded' ? 'succeeded' : x.status === 'failed' ? 'failed' : Number(x.attempts) > 0 ? 're_scheduled' : 'scheduled');

/** The deliverer keeps its times in milliseconds; the API gives Unix seconds, as for every other resource. */
const seconds = (ms: number | string) => Math.floor(Number(ms) / 1000);

/** The site's events as the API reads them: listed with filters, one by one, and each with its delivery log. */
export class EventLog {
  constructor(private readonly d: Deps) {}

  private get site() {
    return this.d.site.id;
  }

  /** Newest first unless `sort_by[asc]`; keyset pages on (occurred_at, seq). */
  async list(db: Db, q: EventQuery): Promise<{ items: EventWithStatus[]; next_offset?: string }> {
    if (q.sort_by?.asc && q.sort_by.desc) throw invalid('sort_by', 'give either sort_by[asc] or sort_by[desc], not both');
    const desc = q.sort_by?.asc === undefined;
    let sel = db.selectFrom('events').select(['data', 'occurred_at', 'seq']).where('site_id', '=', this.site);
    for (const [column, f] of [['event_type', q.event_type], ['source', q.source]] as const) {
      if (f?.is !== undefined) sel = sel.where(column, '=', String(f.is));
      if (f?.is_not !== undefined) sel = sel.where(column, '!=', String(f.is_not));
      if (f?.in) sel = f.in.length ? sel.where(column, 'in', f.in.map(String)) : sel.where(sql<boolean>`1 = 0`);
      if (f?.not_in?.length) sel = sel.where(column, 'not in', f.not_in.map(String));
    }
    const o = q.occurred_at;
    if (o?.after !== undefined) sel = sel.where('occurred_at', '>', o.after);
    if (o?.before !== undefined) sel = sel.where('occurred_at', '<', o.before);
    if (o?.on !== undefined) sel = sel.where('occurred_at', '>=', o.on).where('occurred_at', '<', o.on + 86_400);
    if (o?.between) sel = sel.where('occurred_at', '>=', o.between[0]).where('occurred_at', '<=', o.between[1]);
    sel = afterOffset(sel, 'occurred_at', q.offset, desc);
    const dir = desc ? 'desc' : 'asc';
    const rows = await sel.orderBy('occurred_at', dir).orderBy('seq', dir).limit(q.limit + 1).execute();
    const { items, next_offset } = pageOf<StoredEvent>(rows, 'occurred_at', q.limit);
    const deliveries = await this.deliveriesOf(db, items.map((e) => e.id));
    return { items: items.map((e) => withStatus(e, deliveries)), ...(next_offset && { next_offset }) };
  }

  async get(db: Db, id: string): Promise<EventWithStatus> {
    const e = await this.stored(db, id);
    return withStatus(e, await this.deliveriesOf(db, [e.id]));
  }

  /** Paylit: the delivery log of an event, every attempt with its status code, time and next retry. */
  async deliveries(db: Db, id: string) {
    const e = await this.stored(db, id);
    const deliveries = await this.deliveriesOf(db, [e.id]);
    const attempts = deliveries.length
      ? await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveries.map((x) => x.id)).orderBy('attempt').execute()
      : [];
    return deliveries.map((x) => ({
      id: x.id,
      event_id: x.event_id,
      webhook_endpoint_id: x.endpoint_id,
      status: x.status,
      attempts: attempts
        .filter((a) => a.delivery_id === x.id)
        .map((a) => ({
          attempt: Number(a.attempt),
          started_at: seconds(a.started_at),
          duration_ms: a.duration_ms === null ? null : Number(a.duration_ms),
          status_code: a.status_code === null ? null : Number(a.status_code),
          error: a.error,
          next_retry_at: a.next_retry_at === null ? null : seconds(a.next_retry_at),
        })),
      next_attempt_at: x.next_attempt_at === null ? null : seconds(x.next_attempt_at),
    }));
  }

  private async stored(db: Db, id: string): Promise<StoredEvent> {
    const row = await db.selectFrom('events').select('data').where('site_id', '=', this.site).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('event', id);
    return JSON.parse(row.data) as StoredEvent;
  }

  private deliveriesOf(db: Db, ids: string[]): Promise<WebhookDeliveryRow[]> {
    return ids.length ? db.selectFrom('webhook_deliveries').selectAll().where('site_id', '=', this.site).where('event_id', 'in', ids).execute() : Promise.resolve([]);
  }
}

function withStatus(e: StoredEvent, deliveries: readonly WebhookDeliveryRow[]): EventWithStatus {
  const mine = deliveries.filter((x) => x.event_id === e.id);
  const all = mine.map(deliveryStatus);
  const overall = all.length === 0 ? 'not_configured' : all.includes('failed') ? 'failed' : all.every((s) => s === 'succeeded') ? 'succeeded' : all.includes('re_scheduled') ? 're_scheduled' : 'scheduled';
  return { ...e, webhook_status: overall, webhooks: mine.map((x) => ({ id: x.id, webhook_status: deliveryStatus(x), object: 'webhook' as const })) };
}
