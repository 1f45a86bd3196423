// paylit/merchant and paylit/server need no @types/* of their own: this compiles in a project without @types/node
// (an edge runtime's, say: lib DOM for Headers), against the installed package (test/package-check.mjs).
import { type WebhookEvent, signatureHeader, verifyWebhook } from 'paylit/merchant';
import { type Env, type RunningServer, parseEnv, startServer } from 'paylit/server';

export function handle(body: string, headers: Headers, secret: string): WebhookEvent {
  return verifyWebhook({ body, headers, secret });
}
const env: Env = parseEnv({ PORT: '0' });
export const running: Promise<RunningServer> = startServer({ env });
export const header: string = signatureHeader('whsec_0123456789abcdef', 0, '{}');
