import { newId } from '../ids.js';
import type { Kysely, Transaction } from 'kysely';
import type { EventType, PaylitEvent } from '../../core/schemas/event.js';
import type { Dialect } from '../db/index.js';
import type { Database } from '../db/types.js';
import { nextSeq } from '../store.js';
import type { Clock } from '../clock.js';
import { type EndpointConfig, endpointsFor } from './endpoints.js';

type Db = Kysely<Database> | Transaction<Database>;

export type EventSource = 'api' | 'hosted_page' | 'portal' | 'scheduled_job' | 'system';

/** An event as stored and sent: Chargebee's event shape. */
export type StoredEvent = Omit<PaylitEvent, 'webhook_status'>;

export const newEventId = () => newId('ev');

/**
 * The outbox: every state change writes its event here, in the transaction of the change, together with one
 * delivery row per webhook endpoint that wants it. A change that rolls back leaves no event; an event that commits
 * is delivered, whatever happens to this process afterwards.
 */
export class Outbox {
  /** How many times deliveries were written (committed or not): a request that moved it wakes the deliverer. */
  deliveriesWritten = 0;

  constructor(
    private readonly o: {
      readonly siteId: string;
      readonly dialect: Dialect;
      /** The site's clock (the time machine moves `occurred_at`). */
      readonly clock: Clock;
      /** PAYLIT_WEBHOOK_URL, as an endpoint that is not stored. */
      readonly envEndpoint?: EndpointConfig | undefined;
    },
  ) {}

  async emit(trx: Db, type: EventType, content: Record<string, unknown>, source: EventSource = 'api', at?: number): Promise<StoredEvent> {
    const event: StoredEvent = {
      id: newEventId(),
      occurred_at: at ?? this.o.clock.now(),
      source,
      object: 'event',
      api_version: 'v2',
      event_type: type,
      content: JSON.parse(JSON.stringify(content)) as Record<string, unknown>,
    };
    const seq = await nextSeq(trx, this.o.dialect);
    await trx
      .insertInto('events')
      .values({ site_id: this.o.siteId, id: event.id, seq, event_type: type, source, occurred_at: event.occurred_at, data: JSON.stringify(event) })
      .execute();
    const endpoints = await endpointsFor(trx, this.o.siteId, type, this.o.envEndpoint);
    if (endpoints.length) {
      const now = Date.now();
      await trx
        .insertInto('webhook_deliveries')
        .values(
          endpoints.map((e) => ({
            site_id: this.o.siteId,
            id: newId('whd'),
            event_id: event.id,
            endpoint_id: e.id,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            locked_until: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      this.deliveriesWritten++;
    }
    return event;
  }
}
