import { Hono } from 'hono';
import * as z from 'zod/mini';
import { booleanParam } from '../../core/params/common.js';
import { type PortalSettings, portalSettingsSchema } from '../../core/schemas/portal-settings.js';
import type { SiteBranding } from '../../core/schemas/site.js';
import type { Deps } from '../context.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import { readBranding, readPortalSettings, saveBranding, savePortalSettings } from '../site.js';

const text = z.optional(z.string().check(z.maxLength(500)));
/** Any of the three; an empty string clears the logo or the accent. Checked by the core's SiteBranding. */
const p = portalSettingsSchema.shape;
/** What the portal lets customers do, as `portal_cancel`, `portal_change`, `portal_reactivate`. */
const updateSchema = z.strictObject({
  display_name: text,
  logo_url: text,
  accent_color: text,
  portal_cancel: z.optional(p.cancel.def.innerType),
  portal_change: z.optional(p.change.def.innerType),
  portal_reactivate: z.optional(booleanParam),
});

/** The site as customers see it (Paylit's own resource): `GET /api/v2/site`, `POST /api/v2/site`. */
export function siteRoutes(d: Deps): Hono {
  const app = new Hono();
  const view = (b: SiteBranding, s: PortalSettings) => ({
    site: { id: d.site.id, ...b, portal_cancel: s.cancel, portal_change: s.change, portal_reactivate: s.reactivate, object: 'site' },
  });

  app.get('/api/v2/site', noParams, async (c) => c.json(view(await readBranding(d.storage.db, d.site.id), await readPortalSettings(d.storage.db, d.site.id))));
  app.post('/api/v2/site', async (c) => {
    const { body, form } = await readBody(c);
    const { portal_cancel: cancel, portal_change: change, portal_reactivate: reactivate, ...branding } = parseWith(updateSchema, body, form, c);
    const portal = Object.fromEntries(Object.entries({ cancel, change, reactivate }).filter(([, v]) => v !== undefined));
    return respond(c, d.storage.db, async (trx) => view(await saveBranding(trx, d.site.id, branding), await savePortalSettings(trx, d.site.id, portal)));
  });
  return app;
}
