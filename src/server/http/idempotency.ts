import type { Context, Next } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { IdempotencyKeys, KeyRef } from '../db/idempotency-keys.js';
import { type Db, transaction, type Trx } from '../db/transaction.js';
import { invalid } from '../../core/errors.js';
import { conflict } from '../errors.js';
import { sha256 } from '../tokens.js';

export const IDEMPOTENCY_HEADER = 'chargebee-idempotency-key';
/** Keys are kept this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CREDENTIAL_HEADERS = ['authorization', 'x-paylit-publishable-key', 'x-paylit-hosted-page-token', 'x-paylit-portal-key'];

/** The key a request holds while it runs: `respond` stores the answer with it, in the work's transaction. */
export interface HeldKey {
  store(trx: Trx, status: number, body: string): Promise<void>;
  /** After the work and its answer have committed. */
  committed(): Promise<void>;
  readonly answered: boolean;
}

declare module 'hono' {
  interface ContextVariableMap {
    idempotencyKey: HeldKey;
  }
}

export interface IdempotencyOptions {
  readonly site: string;
  readonly keys: IdempotencyKeys;
  /** How long the first request holds its key before a retry may take it over. */
  readonly lockMs: number;
  /** Fault tests only (PAYLIT_TEST_HOLD_ANSWER): wait this long after the commit, before answering. */
  readonly holdAnswerMs?: number | undefined;
}

/**
 * Chargebee's idempotency keys, on every POST. The first request with a key runs; its answer (anything but a 5xx)
 * is kept 24 hours and replayed to every later request with the same key and the same body, marked with
 * `chargebee-idempotency-replayed: true`. The same key with another body is a 409. A request arriving while the
 * first is still running waits for its answer; if the first one's process died, the key is taken over once its
 * lock runs out (PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT).
 *
 * A route that writes answers through `respond`, which stores the answer in the same transaction as the work, so a
 * crash at any instant leaves either nothing (a retry does the work) or the work with its answer (a retry gets the
 * answer). Answers of routes that write nothing, and refusals (the work rolled back), are stored after.
 * Browser routes keep keys apart per credential, so one customer can never replay another's response.
 */
export function idempotency(o: IdempotencyOptions) {
  return async (c: Context, next: Next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw invalid(IDEMPOTENCY_HEADER, 'must be 1 to 255 visible ASCII characters');
    }
    const path = c.req.path;
    const credentials = CREDENTIAL_HEADERS.map((h) => c.req.header(h) ?? '').join('\n');
    const ref: KeyRef = { site: o.site, scope: path.startsWith('/api/browser/') ? `browser:${sha256(credentials).slice(0, 40)}` : 'api', key };
    const hash = sha256(`POST ${path}\n${c.req.header('content-type') ?? ''}\n${await c.req.text()}`);

    const started = Date.now();
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const claim = await o.keys.claim(ref, hash, Date.now());
      if (claim.kind === 'run') break;
      if (claim.kind === 'replay') {
        return new Response(claim.body, {
          status: claim.status,
          headers: { 'content-type': 'application/json; charset=UTF-8', 'chargebee-idempotency-replayed': 'true' },
        });
      }
      if (claim.kind === 'reused') {
        throw conflict('idempotency_key_reused', `The ${IDEMPOTENCY_HEADER} "${key}" was already used with a different request; use a new key for a new request.`, IDEMPOTENCY_HEADER);
      }
      if (Date.now() - started > o.lockMs + 5_000) {
        throw conflict('request_in_progress', `A request with ${IDEMPOTENCY_HEADER} "${key}" is still being processed; retry in a moment.`, IDEMPOTENCY_HEADER);
      }
      await sleep(wait);
    }

    let answered = false;
    c.set('idempotencyKey', {
      store: (trx, status, body) => o.keys.finish(ref, status, body, trx),
      async committed() {
        answered = true;
        if (o.holdAnswerMs) {
          console.log(`fault: holding the answer to ${path} for ${String(o.holdAnswerMs)} ms after its commit`);
          await sleep(o.holdAnswerMs);
        }
      },
      get answered() {
        return answered;
      },
    });
    await next();
    if (answered) return;
    const res = c.res;
    // A 5xx is not kept: the work rolled back, so a retry with the same key may run it again.
    if (res.status >= 500) await o.keys.release(ref);
    else await o.keys.finish(ref, res.status, await res.clone().text());
  };
}

/**
 * The answer of a route that writes: `work` runs in one transaction, and a keyed request's answer is stored in that
 * transaction too, so the two commit together.
 */
export async function respond(c: Context, db: Db, work: (trx: Trx) => Promise<object>): Promise<Response> {
  const held = c.get('idempotencyKey') as HeldKey | undefined;
  const res = await transaction(db, async (trx) => {
    const answer = c.json(await work(trx));
    await held?.store(trx, answer.status, await answer.clone().text());
    return answer;
  });
  await held?.committed();
  return res;
}

/**
 * The answer of a route whose one write commits on its own once its work is given the pool (a group commit,
 * db/group-commit.ts), answered after that commit. A keyed request runs as `respond` does instead, its work given
 * a transaction, since its answer must commit with the work.
 */
export async function respondGrouped(c: Context, db: Kysely<Database>, work: (db: Db) => Promise<object>): Promise<Response> {
  if (!c.get('idempotencyKey')) return c.json(await work(db));
  return respond(c, db, work);
}
