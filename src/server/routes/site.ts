import { Hono } from 'hono';
import * as z from 'zod/mini';
import { parseWith, readBody } from '../http/params.js';
import { brandingOf, readBranding } from '../site.js';
import type { Deps } from './context.js';

const text = z.optional(z.string().check(z.maxLength(500)));
/** Any of the three; an empty string clears the logo or the accent. Checked by the core's SiteBranding. */
const updateSchema = z.strictObject({ display_name: text, logo_url: text, accent_color: text });

/** The site as customers see it (Paylit's own resource): `GET /api/v2/site`, `POST /api/v2/site`. */
export function siteRoutes(d: Deps): Hono {
  const app = new Hono();
  const view = (b: Awaited<ReturnType<typeof readBranding>>) => ({ site: { id: d.site.id, ...b, object: 'site' } });

  app.get('/api/v2/site', async (c) => c.json(view(await readBranding(d.storage.db, d.site.id))));

  app.post('/api/v2/site', async (c) => {
    const { body, form } = await readBody(c);
    const changes = parseWith(updateSchema, body, form);
    return c.json(
      view(
        await d.storage.db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('sites').select(['id', 'branding']).where('id', '=', d.site.id).executeTakeFirstOrThrow();
          const next = brandingOf(row, changes);
          await trx.updateTable('sites').set({ branding: JSON.stringify(next) }).where('id', '=', d.site.id).execute();
          return next;
        }),
      ),
    );
  });
  return app;
}
