import { Hono } from 'hono';
import * as z from 'zod/mini';
import { timestampParam } from '../../core/params/common.js';
import { timeMachineView } from '../billing/time-travel.js';
import type { Deps } from '../context.js';
import type { TimeMachineRow } from '../db/types.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import type { Services } from '../services.js';

/** The time machine of a test site: GET, travel_forward, start_afresh (billing/time-travel.ts). */
export function timeMachineRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const { timeTravel } = s;

  app.get('/api/v2/time_machines/:name', noParams, async (c) => {
    timeTravel.check(c.req.param('name'));
    await d.clock.refresh(true);
    return c.json({ time_machine: timeMachineView(await d.clock.read(), d.clock.now()) });
  });

  app.post('/api/v2/time_machines/:name/travel_forward', async (c) => {
    timeTravel.check(c.req.param('name'));
    const { body, form } = await readBody(c);
    const p = parseWith(z.strictObject({ destination_time: timestampParam }), body, form, c);
    const { arrive } = await timeTravel.travelForward(p.destination_time);
    let row: TimeMachineRow | undefined;
    const res = await respond(c, db, async (trx) => {
      row = await arrive(trx);
      return { time_machine: timeMachineView(row, p.destination_time) };
    });
    if (row) timeTravel.arrived(row);
    return res;
  });

  app.post('/api/v2/time_machines/:name/start_afresh', async (c) => {
    timeTravel.check(c.req.param('name'));
    const { body, form } = await readBody(c);
    const p = parseWith(z.strictObject({ genesis_time: z.optional(timestampParam) }), body, form, c);
    let row: TimeMachineRow | undefined;
    const res = await respond(c, db, async (trx) => {
      row = await timeTravel.startAfresh(trx, p.genesis_time);
      return { time_machine: timeMachineView(row, row.genesis_time) };
    });
    if (row) timeTravel.arrived(row);
    return res;
  });

  return app;
}
