import { Hono } from 'hono';
import { z } from 'zod';
import { Billing } from '../billing/billing.js';
import type { TimeMachineRow } from '../db/types.js';
import { notFound, paramError } from '../http/errors.js';
import { respond } from '../http/idempotency.js';
import { parseWith, readBody } from '../http/params.js';
import type { Db } from '../db/transaction.js';
import { timestampParam } from '../http/schemas.js';
import { TIME_MACHINE } from '../time-machine.js';
import { addPeriod } from '../../core/periods.js';
import type { Deps } from '../context.js';

/** How far one travel_forward may go. */
const MAX_TRAVEL_YEARS = 10;

const view = (row: TimeMachineRow | undefined, now: number) => ({
  name: TIME_MACHINE,
  time_travel_status: row?.time_travel_status ?? 'not_enabled',
  genesis_time: row?.genesis_time ?? now,
  destination_time: row?.destination_time ?? now,
  ...(row?.failure_reason && { failure_reason: row.failure_reason }),
  object: 'time_machine' as const,
});

/**
 * Chargebee's time machine for test sites: travel_forward runs every subscription's life cycle (trial ends,
 * renewals, scheduled changes and cancellations) up to the destination, then the site's clock shows that time.
 * start_afresh clears customers, subscriptions, invoices, hosted pages and portal sessions and resets the clock.
 */
export function timeMachineRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const billing = new Billing(d);
  const check = (name: string) => {
    if (name !== TIME_MACHINE) throw notFound('time_machine', name);
  };
  const save = async (trx: Db, row: TimeMachineRow) => {
    await trx.deleteFrom('time_machines').where('site_id', '=', d.site.id).where('name', '=', TIME_MACHINE).execute();
    await trx.insertInto('time_machines').values(row).execute();
  };

  app.get('/api/v2/time_machines/:name', async (c) => {
    check(c.req.param('name'));
    await d.clock.refresh(true);
    return c.json({ time_machine: view(await d.clock.read(), d.clock.now()) });
  });

  app.post('/api/v2/time_machines/:name/travel_forward', async (c) => {
    check(c.req.param('name'));
    const { body, form } = await readBody(c);
    const p = parseWith(z.object({ destination_time: timestampParam }).strict(), body, form);
    await d.clock.refresh(true);
    const now = d.clock.now();
    if (p.destination_time <= now) throw paramError('destination_time', `must be after the site's current time (${String(now)})`);
    // Every renewal on the way runs, one by one: a journey of centuries would hold the site for hours.
    if (p.destination_time > addPeriod(now, MAX_TRAVEL_YEARS, 'year')) throw paramError('destination_time', `may be at most ${String(MAX_TRAVEL_YEARS)} years after the site's current time`);
    const current = await d.clock.read();
    const genesis = current?.genesis_time ?? now;
    await save(db, { site_id: d.site.id, name: TIME_MACHINE, offset_seconds: current?.offset_seconds ?? 0, genesis_time: genesis, destination_time: p.destination_time, time_travel_status: 'in_progress', failure_reason: null });
    try {
      // Each due step commits on its own (claimed first, so a retry after a crash goes on where this one stopped).
      await billing.processDue(p.destination_time);
    } catch (e) {
      await save(db, { site_id: d.site.id, name: TIME_MACHINE, offset_seconds: current?.offset_seconds ?? 0, genesis_time: genesis, destination_time: p.destination_time, time_travel_status: 'failed', failure_reason: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    const offset = p.destination_time - d.clock.baseNow();
    const row: TimeMachineRow = { site_id: d.site.id, name: TIME_MACHINE, offset_seconds: offset, genesis_time: genesis, destination_time: p.destination_time, time_travel_status: 'succeeded', failure_reason: null };
    const res = await respond(c, db, async (trx) => {
      await save(trx, row);
      return { time_machine: view(row, p.destination_time) };
    });
    d.clock.setOffset(offset);
    return res;
  });

  app.post('/api/v2/time_machines/:name/start_afresh', async (c) => {
    check(c.req.param('name'));
    const { body, form } = await readBody(c);
    const p = parseWith(z.object({ genesis_time: timestampParam.optional() }).strict(), body, form);
    const genesis = p.genesis_time ?? d.clock.baseNow();
    const offset = genesis - d.clock.baseNow();
    const row: TimeMachineRow = { site_id: d.site.id, name: TIME_MACHINE, offset_seconds: offset, genesis_time: genesis, destination_time: genesis, time_travel_status: 'succeeded', failure_reason: null };
    const res = await respond(c, db, async (trx) => {
      // The site's test data goes, with the test gateway's cards and charges; events stay (their deliveries may be
      // under way, and they are the record of what happened).
      const tables = ['subscriptions', 'invoices', 'hosted_pages', 'portal_sessions', 'customers', 'payment_sources', 'transactions', 'gateway_tokens', 'gateway_cards', 'gateway_charges'] as const;
      for (const t of tables) {
        await trx.deleteFrom(t).where('site_id', '=', d.site.id).execute();
      }
      await trx.deleteFrom('item_usages').where('site_id', '=', d.site.id).execute();
      await trx.deleteFrom('time_machines').where('site_id', '=', d.site.id).where('name', '=', TIME_MACHINE).execute();
      await trx.insertInto('time_machines').values(row).execute();
      return { time_machine: view(row, genesis) };
    });
    d.clock.setOffset(offset);
    return res;
  });

  return app;
}
