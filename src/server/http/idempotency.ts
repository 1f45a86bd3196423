import { createHash } from 'node:crypto';
import type { Context, Next } from 'hono';
import type { Deps } from '../routes/context.js';
import { ApiError } from './errors.js';

export const IDEMPOTENCY_HEADER = 'chargebee-idempotency-key';
/** Keys are kept this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Chargebee's idempotency keys, on every POST. The first request with a key runs; its response (anything but a
 * 5xx) is kept 24 hours and replayed to every later request with the same key and the same body, marked with
 * `chargebee-idempotency-replayed: true`. The same key with another body is a 409. A request arriving while the
 * first is still running waits for its answer; if the first one's process died, the key is taken over once its
 * lock runs out (PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT), which is safe because the work runs in one transaction.
 * Browser routes keep keys apart per credential, so one customer can never replay another's response.
 */
export function idempotency(d: Deps) {
  const { db } = d.storage;
  const site = d.site.id;
  return async (c: Context, next: Next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new ApiError(400, 'param_wrong_value', `${IDEMPOTENCY_HEADER} : must be 1 to 255 visible ASCII characters`, IDEMPOTENCY_HEADER, 'invalid_request');
    }
    const path = c.req.path;
    const credentials = ['authorization', 'x-paylit-publishable-key', 'x-paylit-hosted-page-token', 'x-paylit-portal-key'].map((h) => c.req.header(h) ?? '').join('\n');
    const scope = path.startsWith('/api/browser/') ? `browser:${sha256(credentials).slice(0, 40)}` : 'api';
    const body = await c.req.text();
    const hash = sha256(`POST ${path}\n${c.req.header('content-type') ?? ''}\n${body}`);

    const started = Date.now();
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const now = Date.now();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ site_id: site, scope, key, request_hash: hash, status: 'processing', response_status: null, response_body: null, locked_until: now + d.idempotencyLockMs, created_at: now, expires_at: now + IDEMPOTENCY_TTL_MS })
        .onConflict((oc) => oc.columns(['site_id', 'scope', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) break;
      const row = await db.selectFrom('idempotency_keys').selectAll().where('site_id', '=', site).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      if (!row) continue;
      if (Number(row.expires_at) <= now) {
        // Older than 24 h: the key is free again.
        await db.deleteFrom('idempotency_keys').where('site_id', '=', site).where('scope', '=', scope).where('key', '=', key).where('expires_at', '<=', now).execute();
        continue;
      }
      if (row.request_hash !== hash) {
        throw new ApiError(409, 'idempotency_key_reused', `The ${IDEMPOTENCY_HEADER} "${key}" was already used with a different request; use a new key for a new request.`, IDEMPOTENCY_HEADER, 'invalid_request');
      }
      if (row.status === 'done') {
        return new Response(row.response_body, {
          status: Number(row.response_status),
          headers: { 'content-type': 'application/json; charset=UTF-8', 'chargebee-idempotency-replayed': 'true' },
        });
      }
      if (Number(row.locked_until) < now) {
        // The first request's process stopped without an answer: take the key over.
        const took = await db
          .updateTable('idempotency_keys')
          .set({ locked_until: now + d.idempotencyLockMs })
          .where('site_id', '=', site)
          .where('scope', '=', scope)
          .where('key', '=', key)
          .where('status', '=', 'processing')
          .where('locked_until', '=', row.locked_until)
          .executeTakeFirst();
        if (Number(took.numUpdatedRows) === 1) break;
        continue;
      }
      if (now - started > d.idempotencyLockMs + 5_000) {
        throw new ApiError(409, 'request_in_progress', `A request with ${IDEMPOTENCY_HEADER} "${key}" is still being processed; retry in a moment.`, IDEMPOTENCY_HEADER, 'invalid_request');
      }
      await sleep(wait);
    }

    await next();
    const res = c.res;
    if (res.status >= 500) {
      // Not kept: the work rolled back, so a retry with the same key may run it again.
      await db.deleteFrom('idempotency_keys').where('site_id', '=', site).where('scope', '=', scope).where('key', '=', key).where('status', '=', 'processing').execute();
      return;
    }
    const text = await res.clone().text();
    await db
      .updateTable('idempotency_keys')
      .set({ status: 'done', response_status: res.status, response_body: text })
      .where('site_id', '=', site)
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  };
}
