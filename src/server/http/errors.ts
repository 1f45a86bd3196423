import type { FieldError } from '../../core/errors.js';

export type ErrorType = 'invalid_request' | 'payment' | 'operation_failed' | 'api_authentication_failed';

/** Chargebee's error response: `{ message, type, api_error_code, param, http_status_code }`. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 402 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500,
    readonly apiErrorCode: string,
    message: string,
    readonly param?: string,
    readonly type?: ErrorType,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON() {
    return {
      message: this.message,
      ...(this.type && { type: this.type }),
      api_error_code: this.apiErrorCode,
      ...(this.param !== undefined && { param: this.param }),
      error_code: this.apiErrorCode,
      error_msg: this.message,
      http_status_code: this.status,
    };
  }
}

/** A whole HTTP/1.1 response for a request Node's parser refused (the app never saw it). */
export function rawErrorResponse(status: 400 | 431): string {
  const message = status === 431 ? 'The request line or headers are larger than 16 KB.' : 'The request is not valid HTTP.';
  const body = JSON.stringify({ message, type: 'invalid_request', api_error_code: 'invalid_request', error_code: 'invalid_request', error_msg: message, http_status_code: status });
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${String(status)} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`;
}

export const paramError = (param: string, message: string) =>
  new ApiError(400, 'param_wrong_value', `${param} : ${message}`, param, 'invalid_request');

export const fromFieldErrors = (errors: readonly FieldError[]) => {
  const first = errors[0] ?? { param: '', message: 'is invalid' };
  const all = errors.map((e) => `${e.param} : ${e.message}`).join('; ');
  return new ApiError(400, 'param_wrong_value', all, first.param, 'invalid_request');
};

export const notFound = (what: string, id: string) =>
  new ApiError(404, 'resource_not_found', `Sorry, we couldn't find that resource: ${what} ${id} not found`, undefined, 'invalid_request');

export const invalidState = (message: string, param?: string) =>
  new ApiError(400, 'invalid_state_for_request', message, param, 'invalid_request');

export const duplicate = (param: string, message: string) =>
  new ApiError(400, 'duplicate_entry', message, param, 'invalid_request');

export const unauthorized = (message = 'Sorry, authentication failed. Invalid api key') =>
  new ApiError(401, 'api_authentication_failed', message, undefined, 'api_authentication_failed', {
    'WWW-Authenticate': 'Basic realm="paylit"',
  });
