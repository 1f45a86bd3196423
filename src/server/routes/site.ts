import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { SiteBranding } from '../../core/schemas/site.js';
import type { Deps } from '../context.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import { readBranding, saveBranding } from '../site.js';

const text = z.optional(z.string().check(z.maxLength(500)));
/** Any of the three; an empty string clears the logo or the accent. Checked by the core's SiteBranding. */
const updateSchema = z.strictObject({ display_name: text, logo_url: text, accent_color: text });

/** The site as customers see it (Paylit's own resource): `GET /api/v2/site`, `POST /api/v2/site`. */
export function siteRoutes(d: Deps): Hono {
  const app = new Hono();
  const view = (b: SiteBranding) => ({ site: { id: d.site.id, ...b, object: 'site' } });

  app.get('/api/v2/site', noParams, async (c) => c.json(view(await readBranding(d.storage.db, d.site.id))));
  app.post('/api/v2/site', async (c) => {
    const { body, form } = await readBody(c);
    const changes = parseWith(updateSchema, body, form, c);
    return respond(c, d.storage.db, async (trx) => view(await saveBranding(trx, d.site.id, changes)));
  });
  return app;
}
