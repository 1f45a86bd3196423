import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A webhook endpoint as stored (the password and signing secret never leave the server except as documented). */
export interface WebhookEndpoint {
  id: string;
  name: string;
  url: string;
  api_version: 'v2';
  disabled: boolean;
  /** Empty: every event. */
  enabled_events: string[];
  basic_auth_username?: string | undefined;
  basic_auth_password?: string | undefined;
  /** HMAC-SHA256 key of the `Paylit-Signature` header. */
  signing_secret: string;
  status?: string;
  created_at?: number;
  updated_at?: number;
  resource_version?: number;
  object: 'webhook_endpoint';
}

/** What the deliverer needs to post to an endpoint. */
export interface EndpointConfig {
  readonly id: string;
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly secret?: string | undefined;
  readonly enabledEvents?: readonly string[] | undefined;
}

/** The id of the endpoint given by PAYLIT_WEBHOOK_URL: it is configured, not stored. */
export const ENV_ENDPOINT_ID = 'env';

export const toConfig = (e: WebhookEndpoint): EndpointConfig => ({
  id: e.id,
  url: e.url,
  username: e.basic_auth_username,
  password: e.basic_auth_password,
  secret: e.signing_secret,
  enabledEvents: e.enabled_events,
});

/** The endpoints an event of this type goes to. */
export async function endpointsFor(db: Db, siteId: string, type: string, env?: EndpointConfig): Promise<EndpointConfig[]> {
  const rows = await db.selectFrom('webhook_endpoints').select('data').where('site_id', '=', siteId).where('status', '=', 'active').execute();
  const all = rows.map((r) => toConfig(JSON.parse(r.data) as WebhookEndpoint));
  if (env) all.push(env);
  return all.filter((e) => !e.enabledEvents?.length || e.enabledEvents.includes(type));
}

/** The endpoint a delivery goes to, looked up when it is sent (so a changed URL or password applies to retries). */
export async function endpointById(db: Db, siteId: string, id: string, env?: EndpointConfig): Promise<EndpointConfig | undefined> {
  if (id === ENV_ENDPOINT_ID) return env;
  const row = await db.selectFrom('webhook_endpoints').select('data').where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
  return row ? toConfig(JSON.parse(row.data) as WebhookEndpoint) : undefined;
}
