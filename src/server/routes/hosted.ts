import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Deps } from './context.js';

/** Where `npm run build` puts the hosted pages' scripts. */
const HOSTED_DIR = fileURLToPath(new URL('../../../dist/hosted/', import.meta.url));

/**
 * The pages the backend serves from its own origin. Each is a tiny HTML shell around a built script, under a strict
 * Content-Security-Policy: scripts and requests only to this origin, no inline code, and embeddable only by this
 * origin and the site's allowed origins (frame-ancestors covers every ancestor, the merchant's page included).
 */
export function hostedRoutes(d: Deps): Hono {
  const app = new Hono();
  const ancestors = ["'self'", ...d.allowedOrigins].join(' ');
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');

  app.get('/hosted/card-frame', (c) => {
    c.header('Content-Security-Policy', csp);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    return c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
        '<meta name="robots" content="noindex"><title>Card details</title><script type="module" src="/hosted/card-frame.js"></script>' +
        '</head><body></body></html>',
    );
  });

  // The built scripts: names only from the build (no paths), so nothing else on disk can be reached.
  app.get('/hosted/:file{[a-z0-9-]+\\.js(\\.map)?}', async (c) => {
    const file = c.req.param('file');
    let body: Buffer;
    try {
      body = await readFile(HOSTED_DIR + file);
    } catch {
      return c.text(`${file} is not built: run \`npm run build\``, 503);
    }
    c.header('Content-Type', file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-cache');
    return c.body(new Uint8Array(body));
  });

  return app;
}
