import { randomBytes } from 'node:crypto';
import { type Deps, nextVersion } from '../context.js';
import { newId } from '../ids.js';
import type { Db } from '../db/transaction.js';
import { notFound, paramError } from '../errors.js';
import type { WebhookEndpoint } from './endpoints.js';

export interface EndpointFields {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly basic_auth_username?: string | undefined;
  readonly basic_auth_password?: string | undefined;
  readonly enabled_events?: string[] | undefined;
  readonly disabled?: boolean | undefined;
}

/** What the API shows of an endpoint: never the password; the signing secret, which the merchant needs to verify. */
export const endpointView = (e: WebhookEndpoint) => {
  const { basic_auth_password: _p, status: _s, ...rest } = e;
  return rest;
};

/** The webhook endpoints a merchant configures: each gets a signing secret, and events from its creation on. */
export class WebhookEndpoints {
  constructor(private readonly d: Deps) {}

  private get store() {
    return this.d.stores.webhookEndpoints;
  }

  async get(db: Db, id: string): Promise<WebhookEndpoint> {
    const e = await this.store.get(db, id);
    if (!e) throw notFound('webhook_endpoint', id);
    return e;
  }

  create(trx: Db, p: EndpointFields & { name: string; url: string }): Promise<WebhookEndpoint> {
    if (p.basic_auth_password !== undefined && p.basic_auth_username === undefined) throw paramError('basic_auth_username', 'is required with basic_auth_password');
    const now = this.d.clock.now();
    return this.store.insert(trx, {
      id: newId('whep'),
      name: p.name,
      url: p.url,
      api_version: 'v2',
      disabled: p.disabled ?? false,
      enabled_events: p.enabled_events ?? [],
      ...(p.basic_auth_username !== undefined && { basic_auth_username: p.basic_auth_username, basic_auth_password: p.basic_auth_password ?? '' }),
      signing_secret: `whsec_${randomBytes(24).toString('base64url')}`,
      created_at: now,
      updated_at: now,
      resource_version: nextVersion(now),
      object: 'webhook_endpoint',
    });
  }

  async update(trx: Db, id: string, p: EndpointFields): Promise<WebhookEndpoint> {
    const current = await this.get(trx, id);
    const now = this.d.clock.now();
    const { name, url, basic_auth_username, basic_auth_password, enabled_events, disabled } = p;
    const given = { name, url, basic_auth_username, basic_auth_password, enabled_events, disabled };
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    return this.store.update(trx, { ...current, ...defined, updated_at: now, resource_version: nextVersion(now, current.resource_version) });
  }

  /** Removes the endpoint; deliveries still waiting for it have nowhere to go and fail. */
  async remove(trx: Db, id: string): Promise<WebhookEndpoint> {
    const e = await this.get(trx, id);
    await this.store.remove(trx, e.id);
    await trx.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null }).where('site_id', '=', this.d.site.id).where('endpoint_id', '=', e.id).where('status', '=', 'pending').execute();
    return e;
  }
}
