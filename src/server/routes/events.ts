import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { EVENT_TYPES } from '../../core/schemas/event.js';
import { newId } from '../context.js';
import type { WebhookEndpoint } from '../events/endpoints.js';
import type { StoredEvent } from '../events/outbox.js';
import type { WebhookDeliveryRow } from '../db/types.js';
import { notFound, paramError } from '../http/errors.js';
import { respond } from '../http/idempotency.js';
import { readQuery, parseWith, readBody } from '../http/params.js';
import { urlParam } from '../http/schemas.js';
import { decodeOffset, encodeOffset, type ListQuery, listBase, parseQuery, stringFilter } from '../store.js';
import { type Deps, nextVersion } from '../context.js';

const eventType = z.enum(EVENT_TYPES);
const timeRange = z
  .object({
    after: z.coerce.number().int(),
    before: z.coerce.number().int(),
    on: z.coerce.number().int(),
    between: z.string().transform((s, ctx) => {
      const m = /^\[\s*(\d+)\s*,\s*(\d+)\s*\]$/.exec(s);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'must be [from,to] in Unix seconds' });
        return z.NEVER;
      }
      return [Number(m[1]), Number(m[2])] as const;
    }),
  })
  .partial()
  .strict();
const eventListSchema = z
  .object({
    limit: listBase.limit,
    offset: listBase.offset,
    event_type: stringFilter(eventType).optional(),
    source: stringFilter(z.enum(['api', 'hosted_page', 'portal', 'scheduled_job', 'system'])).optional(),
    occurred_at: timeRange.optional(),
    sort_by: z.object({ asc: z.literal('occurred_at'), desc: z.literal('occurred_at') }).partial().strict().optional(),
  })
  .strict();

const endpointInput = z
  .object({
    name: z.string().min(1).max(50),
    url: urlParam,
    api_version: z.literal('v2').optional(),
    basic_auth_username: z.string().max(100).optional(),
    basic_auth_password: z.string().max(100).optional(),
    enabled_events: z.array(eventType).max(EVENT_TYPES.length).optional(),
    disabled: z.boolean().optional(),
    send_card_resource: z.boolean().optional(),
  })
  .strict();

/** The deliverer keeps its times in milliseconds; the API gives Unix seconds, as for every other resource. */
const seconds = (ms: number | string) => Math.floor(Number(ms) / 1000);

/** What the API shows of an endpoint: never the password; the signing secret, which the merchant needs to verify. */
const endpointView = (e: WebhookEndpoint) => {
  const { basic_auth_password: _p, status: _s, ...rest } = e;
  return rest;
};

/** The events API (list with filters, retrieve, and each event's deliveries) and webhook_endpoints. */
export function eventRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const site = d.site.id;

  const deliveriesOf = (ids: string[]) =>
    ids.length ? db.selectFrom('webhook_deliveries').selectAll().where('site_id', '=', site).where('event_id', 'in', ids).execute() : Promise.resolve([] as WebhookDeliveryRow[]);

  /** Chargebee's webhook_status of an event, from its deliveries. */
  const withStatus = (e: StoredEvent, deliveries: WebhookDeliveryRow[]) => {
    const mine = deliveries.filter((x) => x.event_id === e.id);
    const status = (x: WebhookDeliveryRow) =>
      x.status === 'succeeded' ? 'succeeded' : x.status === 'failed' ? 'failed' : Number(x.attempts) > 0 ? 're_scheduled' : 'scheduled';
    const all = mine.map(status);
    const overall = all.length === 0 ? 'not_configured' : all.includes('failed') ? 'failed' : all.every((s) => s === 'succeeded') ? 'succeeded' : all.includes('re_scheduled') ? 're_scheduled' : 'scheduled';
    return { ...e, webhook_status: overall, webhooks: mine.map((x) => ({ id: x.id, webhook_status: status(x), object: 'webhook' })) };
  };

  app.get('/api/v2/events', async (c) => {
    const q = parseQuery(eventListSchema, readQuery(c));
    if (q.sort_by?.asc && q.sort_by.desc) throw paramError('sort_by', 'give either sort_by[asc] or sort_by[desc], not both');
    const desc = q.sort_by?.asc === undefined;
    let sel = db.selectFrom('events').select(['data', 'occurred_at', 'seq']).where('site_id', '=', site);
    const t = q.event_type;
    if (t?.is) sel = sel.where('event_type', '=', t.is);
    if (t?.is_not) sel = sel.where('event_type', '!=', t.is_not);
    if (t?.in) sel = t.in.length ? sel.where('event_type', 'in', t.in) : sel.where(sql<boolean>`1 = 0`);
    if (t?.not_in?.length) sel = sel.where('event_type', 'not in', t.not_in);
    const src = q.source;
    if (src?.is) sel = sel.where('source', '=', src.is);
    if (src?.is_not) sel = sel.where('source', '!=', src.is_not);
    if (src?.in) sel = src.in.length ? sel.where('source', 'in', src.in) : sel.where(sql<boolean>`1 = 0`);
    if (src?.not_in?.length) sel = sel.where('source', 'not in', src.not_in);
    const o = q.occurred_at;
    if (o?.after !== undefined) sel = sel.where('occurred_at', '>', o.after);
    if (o?.before !== undefined) sel = sel.where('occurred_at', '<', o.before);
    if (o?.on !== undefined) sel = sel.where('occurred_at', '>=', o.on).where('occurred_at', '<', o.on + 86_400);
    if (o?.between) sel = sel.where('occurred_at', '>=', o.between[0]).where('occurred_at', '<=', o.between[1]);
    if (q.offset) {
      const [at, seq] = decodeOffset(q.offset);
      sel = desc
        ? sel.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('seq', '<', seq)])]))
        : sel.where((eb) => eb.or([eb('occurred_at', '>', at), eb.and([eb('occurred_at', '=', at), eb('seq', '>', seq)])]));
    }
    const dir = desc ? 'desc' : 'asc';
    const rows = await sel.orderBy('occurred_at', dir).orderBy('seq', dir).limit(q.limit + 1).execute();
    const events = rows.slice(0, q.limit).map((r) => JSON.parse(r.data) as StoredEvent);
    const deliveries = await deliveriesOf(events.map((e) => e.id));
    const last = rows[q.limit - 1];
    return c.json({
      list: events.map((e) => ({ event: withStatus(e, deliveries) })),
      ...(rows.length > q.limit && last && { next_offset: encodeOffset(Number(last.occurred_at), Number(last.seq)) }),
    });
  });

  const getEvent = async (id: string) => {
    const row = await db.selectFrom('events').select('data').where('site_id', '=', site).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('event', id);
    return JSON.parse(row.data) as StoredEvent;
  };

  app.get('/api/v2/events/:id', async (c) => {
    const e = await getEvent(c.req.param('id'));
    return c.json({ event: withStatus(e, await deliveriesOf([e.id])) });
  });

  /** Paylit: the delivery log of an event, every attempt with its status code, time and next retry. */
  app.get('/api/v2/events/:id/deliveries', async (c) => {
    const e = await getEvent(c.req.param('id'));
    const deliveries = await deliveriesOf([e.id]);
    const attempts = deliveries.length
      ? await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveries.map((x) => x.id)).orderBy('attempt').execute()
      : [];
    return c.json({
      list: deliveries.map((x) => ({
        delivery: {
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
        },
      })),
    });
  });

  // ---------------------------------------------------------------- webhook endpoints
  const store = d.stores.webhookEndpoints;
  app.post('/api/v2/webhook_endpoints', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(endpointInput, body, form);
    if (p.basic_auth_password !== undefined && p.basic_auth_username === undefined) throw paramError('basic_auth_username', 'is required with basic_auth_password');
    const now = d.clock.now();
    const e: WebhookEndpoint = {
      id: newId('whep'),
      name: p.name,
      url: p.url,
      api_version: 'v2',
      disabled: p.disabled ?? false,
      enabled_events: p.enabled_events ?? [],
      ...(p.basic_auth_username !== undefined && { basic_auth_username: p.basic_auth_username, basic_auth_password: p.basic_auth_password ?? '' }),
      signing_secret: `whsec_${randomBytes(24).toString('base64url')}`,
      created_at: now,
      updated_at: now,
      resource_version: nextVersion(now),
      object: 'webhook_endpoint',
    };
    return respond(c, db, async (trx) => ({ webhook_endpoint: endpointView(await store.insert(trx, e)) }));
  });

  app.get('/api/v2/webhook_endpoints', async (c) => {
    const q = parseQuery(z.object({ limit: listBase.limit, offset: listBase.offset, status: stringFilter(z.enum(['active', 'disabled'])).optional() }).strict(), readQuery(c));
    const { items, next_offset } = await store.list(db, { ...(q as unknown as ListQuery), columns: { status: q.status } });
    return c.json({ list: items.map((e) => ({ webhook_endpoint: endpointView(e) })), ...(next_offset && { next_offset }) });
  });

  const getEndpoint = async (id: string) => {
    const e = await store.get(db, id);
    if (!e) throw notFound('webhook_endpoint', id);
    return e;
  };
  app.get('/api/v2/webhook_endpoints/:id', async (c) => c.json({ webhook_endpoint: endpointView(await getEndpoint(c.req.param('id'))) }));

  app.post('/api/v2/webhook_endpoints/:id', async (c) => {
    const current = await getEndpoint(c.req.param('id'));
    const { body, form } = await readBody(c);
    const p = parseWith(endpointInput.partial(), body, form);
    const now = d.clock.now();
    const next: WebhookEndpoint = {
      ...current,
      ...(p.name !== undefined && { name: p.name }),
      ...(p.url !== undefined && { url: p.url }),
      ...(p.disabled !== undefined && { disabled: p.disabled }),
      ...(p.enabled_events !== undefined && { enabled_events: p.enabled_events }),
      ...(p.basic_auth_username !== undefined && { basic_auth_username: p.basic_auth_username }),
      ...(p.basic_auth_password !== undefined && { basic_auth_password: p.basic_auth_password }),
      updated_at: now,
      resource_version: nextVersion(now, current.resource_version),
    };
    return respond(c, db, async (trx) => ({ webhook_endpoint: endpointView(await store.update(trx, next)) }));
  });

  app.post('/api/v2/webhook_endpoints/:id/delete', async (c) => {
    const e = await getEndpoint(c.req.param('id'));
    return respond(c, db, async (trx) => {
      await store.remove(trx, e.id);
      // Deliveries still waiting have nowhere to go.
      await trx.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null }).where('site_id', '=', site).where('endpoint_id', '=', e.id).where('status', '=', 'pending').execute();
      return { webhook_endpoint: endpointView(e) };
    });
  });

  return app;
}
