import { Hono } from 'hono';
import * as z from 'zod/mini';
import { timestampParam } from '../../core/params/common.js';
import type { Deps } from '../context.js';
import { parseWith, readQuery } from '../http/params.js';
import type { Services } from '../services.js';

const query = z.strictObject({
  valid_till: timestampParam,
  signature: z.string().check(z.minLength(1), z.maxLength(100)),
  disposition: z.optional(z.enum(['attachment', 'inline'])),
});

/** Documents behind short-lived signed links (InvoiceDocuments): the link is the permission, so no key is asked. */
export function downloadRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  app.get('/downloads/invoices/:file{[A-Za-z0-9_-]{1,100}\\.pdf}', async (c) => {
    const id = c.req.param('file').slice(0, -'.pdf'.length);
    const q = parseWith(query, readQuery(c), true, c);
    const { pdf } = await s.invoiceDocuments.open(d.storage.db, id, q.valid_till, q.signature);
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `${q.disposition ?? 'attachment'}; filename="invoice-${id}.pdf"`);
    c.header('Cache-Control', 'private, no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.body(new Uint8Array(pdf));
  });
  return app;
}
