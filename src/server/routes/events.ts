import { Hono } from 'hono';
import * as z from 'zod/mini';
import { urlParam } from '../../core/params/common.js';
import { limit, offset, stringFilter } from '../../core/params/list.js';
import { EVENT_TYPES } from '../../core/schemas/event.js';
import type { Deps } from '../context.js';
import { endpointView } from '../events/webhooks.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery } from '../http/params.js';
import type { Services } from '../services.js';
import { pageQuery } from '../store.js';

const eventType = z.enum(EVENT_TYPES);
const between = z.pipe(
  z.string(),
  z.transform((s, ctx) => {
    const m = /^\[\s*(\d+)\s*,\s*(\d+)\s*\]$/.exec(s);
    if (m) return [Number(m[1]), Number(m[2])] as const;
    ctx.issues.push({ code: 'custom', message: 'must be [from,to] in Unix seconds', input: s });
    return z.NEVER;
  }),
);
const eventList = z.strictObject({
  limit,
  offset,
  event_type: z.optional(stringFilter(eventType)),
  source: z.optional(stringFilter(z.enum(['api', 'hosted_page', 'portal', 'scheduled_job', 'system']))),
  occurred_at: z.optional(z.strictObject({ after: z.optional(z.int()), before: z.optional(z.int()), on: z.optional(z.int()), between: z.optional(between) })),
  sort_by: z.optional(z.strictObject({ asc: z.optional(z.literal('occurred_at')), desc: z.optional(z.literal('occurred_at')) })),
});
const endpointFields = {
  name: z.string().check(z.minLength(1), z.maxLength(50)),
  url: urlParam,
  api_version: z.optional(z.literal('v2')),
  basic_auth_username: z.optional(z.string().check(z.maxLength(100))),
  basic_auth_password: z.optional(z.string().check(z.maxLength(100))),
  enabled_events: z.optional(z.array(eventType).check(z.maxLength(EVENT_TYPES.length))),
  disabled: z.optional(z.boolean()),
  /** Chargebee's legacy card resource in events: Paylit's events carry the payment_source instead. */
  send_card_resource: z.optional(z.boolean().check(z.refine((v) => !v, 'is not supported: the events carry the payment_source resource, not the legacy card one'))),
};
const endpointCreate = z.strictObject(endpointFields);
const endpointUpdate = z.partial(endpointCreate);
const endpointList = z.strictObject({ limit, offset, status: z.optional(stringFilter(z.enum(['active', 'disabled']))) });

/** The events API (list with filters, retrieve, and each event's deliveries) and webhook_endpoints. */
export function eventRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;

  app.get('/api/v2/events', async (c) => {
    const { items, next_offset } = await s.events.list(db, parseWith(eventList, readQuery(c), true, c));
    return c.json({ list: items.map((event) => ({ event })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/events/:id', noParams, async (c) => c.json({ event: await s.events.get(db, c.req.param('id')) }));
  app.get('/api/v2/events/:id/deliveries', noParams, async (c) => c.json({ list: (await s.events.deliveries(db, c.req.param('id'))).map((delivery) => ({ delivery })) }));

  // ---------------------------------------------------------------- webhook endpoints
  app.post('/api/v2/webhook_endpoints', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(endpointCreate, body, form, c);
    return respond(c, db, async (trx) => ({ webhook_endpoint: endpointView(await s.webhookEndpoints.create(trx, p)) }));
  });
  app.get('/api/v2/webhook_endpoints', async (c) => {
    const q = parseWith(endpointList, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.webhookEndpoints.list(db, pageQuery(q, { status: q.status }));
    return c.json({ list: items.map((e) => ({ webhook_endpoint: endpointView(e) })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/webhook_endpoints/:id', noParams, async (c) => c.json({ webhook_endpoint: endpointView(await s.webhookEndpoints.get(db, c.req.param('id'))) }));
  app.post('/api/v2/webhook_endpoints/:id', async (c) => {
    await s.webhookEndpoints.get(db, c.req.param('id'));
    const { body, form } = await readBody(c);
    const p = parseWith(endpointUpdate, body, form, c);
    return respond(c, db, async (trx) => ({ webhook_endpoint: endpointView(await s.webhookEndpoints.update(trx, c.req.param('id'), p)) }));
  });
  app.post('/api/v2/webhook_endpoints/:id/delete', noParams, async (c) => respond(c, db, async (trx) => ({ webhook_endpoint: endpointView(await s.webhookEndpoints.remove(trx, c.req.param('id'))) })));

  return app;
}
