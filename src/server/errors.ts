import { type ErrorCode, invalid, PaylitError } from '../core/errors.js';

/**
 * The refusals services raise, in the one error model (core's PaylitError). They say what went wrong and with which
 * parameter; the HTTP layer (http/errors.ts) alone decides the status and the wire shape.
 */
export const paramError = (param: string, message: string) => invalid(param, message);

export const duplicate = (param: string, message: string) => invalid(param, message, 'duplicate_entry');

/** The request is well formed but the resource is in the wrong state for it; `param` when one parameter is to blame. */
export const invalidState = (message: string, param?: string) =>
  param === undefined ? new PaylitError('invalid_state_for_request', message) : invalid(param, message, 'invalid_state_for_request');

export const notFound = (what: string, id: string) => new PaylitError('resource_not_found', `Sorry, we couldn't find that resource: ${what} ${id} not found`);

export const unauthorized = (message = 'Sorry, authentication failed. Invalid api key', code: ErrorCode = 'api_authentication_failed') => new PaylitError(code, message);

/** A request that cannot go on now for a reason of state, not of its parameters (409). */
export const conflict = (code: 'hosted_page_completed' | 'portal_session_used' | 'request_in_progress' | 'idempotency_key_reused', message: string, param?: string) =>
  param === undefined ? new PaylitError(code, message) : new PaylitError(code, message, [{ param, message, code }]);

/** The server is stopping: this work was not started, and the same request can be sent again (Chargebee's 503). */
export const shuttingDown = () => new PaylitError('internal_temporary_error', 'The server is shutting down; try again in a moment.', [], { retry_after: 1 });
