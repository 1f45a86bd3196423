import type { TaxProfile } from '../core/tax.js';
import type { IdempotencyKeys } from './db/idempotency-keys.js';
import type { Storage } from './db/index.js';
import type { SiteRow } from './db/types.js';
import type { Outbox } from './events/outbox.js';
import type { Gateway } from './payments/gateway.js';
import type { Stores } from './stores.js';
import type { SiteClock } from './time-machine.js';

/**
 * The shared wiring of one site's backend: what `startServer` builds once and every layer (routes, services,
 * the scheduler) takes. It imports only types, so any module may depend on it without closing a circle.
 */
export interface Deps {
  readonly storage: Storage;
  readonly site: SiteRow;
  readonly clock: SiteClock;
  readonly stores: Stores;
  readonly allowedOrigins: readonly string[];
  readonly browserRateLimit: number;
  /** The site's tax rates; the widget gets the same through the catalog route. */
  readonly taxProfile?: TaxProfile | undefined;
  /** PAYLIT_PUBLIC_URL, when set; otherwise URLs are built from the request's own origin. */
  readonly publicUrl?: string | undefined;
  readonly backdatingDayLimit: number;
  /** Every state change writes its event here, in its own transaction. */
  readonly outbox: Outbox;
  readonly gateway: Gateway;
  /** Chargebee-Idempotency-Key rows (http/idempotency.ts). */
  readonly idempotencyKeys: IdempotencyKeys;
  /** How long an idempotency key's first request holds the key before another may take it over (ms). */
  readonly idempotencyLockMs: number;
  /** Wakes the webhook deliverer after a write has committed. */
  readonly kick: () => void;
  /** Fault tests only (PAYLIT_TEST_HOLD_SUBMIT): a checkout submit waits this long before it commits. */
  readonly holdSubmitMs?: number | undefined;
  /** Fault tests only (PAYLIT_TEST_HOLD_ANSWER): a keyed write waits this long after its commit, before answering. */
  readonly holdAnswerMs?: number | undefined;
}

/** Chargebee's resource_version: milliseconds, strictly increasing per resource. */
export function nextVersion(now: number, previous?: number): number {
  return Math.max(now * 1000, (previous ?? 0) + 1);
}
