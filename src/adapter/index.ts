/**
 * `src/adapter`: how the elements reach a backend. `BackendAdapter` is the interface; `HttpAdapter` talks to a Paylit
 * backend over fetch (timeouts, retries, idempotency keys, answers parsed with zod); `CardFrame` is the backend's card
 * entry for the payment step.
 */
export * from './adapter.js';
export { HttpAdapter, httpAdapterOptions, idempotencyKey, type HttpAdapterOptions } from './http-adapter.js';
export { CardFrame } from './card-frame.js';
