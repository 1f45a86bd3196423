import { type ErrorCode, type KnownErrorCode, PaylitError, PaylitValidationError } from '../../core/errors.js';
import { MoneyRangeError } from '../../core/money.js';

type WireType = 'invalid_request' | 'payment' | 'operation_failed' | 'api_authentication_failed';

/** The status and Chargebee `type` of each code the server raises. */
const WIRE: Partial<Record<KnownErrorCode, readonly [number, WireType]>> = {
  param_wrong_value: [400, 'invalid_request'],
  duplicate_entry: [400, 'invalid_request'],
  invalid_state_for_request: [400, 'invalid_request'],
  invalid_request: [400, 'invalid_request'],
  resource_not_found: [404, 'invalid_request'],
  api_authentication_failed: [401, 'api_authentication_failed'],
  portal_session_expired: [401, 'api_authentication_failed'],
  origin_not_allowed: [403, 'invalid_request'],
  api_request_limit_exceeded: [429, 'invalid_request'],
  payment_processing_failed: [402, 'payment'],
  payment_authentication_required: [402, 'payment'],
  hosted_page_completed: [409, 'invalid_request'],
  portal_session_used: [409, 'invalid_request'],
  idempotency_key_reused: [409, 'invalid_request'],
  request_in_progress: [409, 'invalid_request'],
  hosted_page_expired: [400, 'invalid_request'],
  internal_error: [500, 'operation_failed'],
  internal_temporary_error: [503, 'operation_failed'],
};

/**
 * A refusal of the HTTP transport itself (a body over 1 MB, of a type Paylit does not read): the one kind of error
 * whose status is not its code's. Only the HTTP layer raises it.
 */
export class HttpError extends PaylitError {
  constructor(
    readonly status: 400 | 413 | 415 | 431,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super('invalid_request', message);
  }
}

export interface WireError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/**
 * Any error as Chargebee's error answer: `{ message, type, api_error_code, param, http_status_code }` (and
 * `error_code`, `error_msg`, as Chargebee also sends), the decline code of a payment, and Paylit's `errors`: every
 * field at fault with its own message, so no client ever parses `message`. Unknown errors are a 500 that says
 * nothing of the cause (`log` gets it).
 */
export function wireError(err: unknown, log: (e: unknown) => void): WireError {
  // The amounts a request adds up to, not one parameter, are out of range.
  const e =
    err instanceof PaylitError
      ? err
      : err instanceof MoneyRangeError
        ? new PaylitError('invalid_request', `The amounts of this request are too large: ${err.message}.`)
        : undefined;
  if (!e) log(err);
  const code: ErrorCode = e?.code ?? 'internal_error';
  const [defaultStatus, type] = WIRE[code as KnownErrorCode] ?? [400, 'invalid_request'];
  const status = e instanceof HttpError ? e.status : defaultStatus;
  // Chargebee names the parameter in the message of a wrong value (`plan_id : is required`), not in other errors.
  const message = !e
    ? 'Sorry, something went wrong on our side.'
    : code === 'param_wrong_value' && e.errors.length
      ? e.errors.map((f) => `${chargebeeParam(f.param)} : ${f.message}`).join('; ')
      : e instanceof PaylitValidationError
        ? e.errors.map((f) => f.message).join('; ')
        : e.message;
  const headers: Record<string, string> = { ...(e instanceof HttpError && e.headers) };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="paylit"';
  if (e?.details.retry_after !== undefined) headers['Retry-After'] = String(e.details.retry_after);
  return {
    status,
    headers,
    body: {
      message,
      type,
      api_error_code: code,
      ...(e?.param !== undefined && { param: chargebeeParam(e.param) }),
      ...(e?.details.decline_code !== undefined && { decline_code: e.details.decline_code }),
      ...(e && e.errors.length > 0 && { errors: e.errors.map((f) => ({ param: chargebeeParam(f.param), message: f.message })) }),
      error_code: code,
      error_msg: message,
      http_status_code: status,
    },
  };
}

/**
 * Chargebee's name for a list column: core names a path (`tiers[1][price]`), the API the column and its row
 * (`tiers[price][1]`). Names already in column form stay as they are.
 */
export function chargebeeParam(param: string): string {
  return param.replace(/^([^[\]]+)\[(\d+)\]\[([^[\]]+)\]/, '$1[$3][$2]');
}

/** A whole HTTP/1.1 response for a request Node's parser refused (the app never saw it). */
export function rawErrorResponse(status: 400 | 431): string {
  const message = status === 431 ? 'The request line or headers are larger than 16 KB.' : 'The request is not valid HTTP.';
  const { body } = wireError(new HttpError(status, message), () => {});
  const text = JSON.stringify(body);
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${String(status)} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${String(Buffer.byteLength(text))}\r\nConnection: close\r\n\r\n${text}`;
}
