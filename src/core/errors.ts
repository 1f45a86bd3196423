import type { z } from 'zod/mini';

/**
 * Why a request is refused, in Chargebee's words (its `api_error_code`), and Paylit's own where Chargebee has none.
 * Core and the services raise these; only the HTTP layer knows which status each answers with. The browser's
 * adapter adds what only a client meets (no answer, an answer of the wrong shape).
 */
export type KnownErrorCode =
  | 'param_wrong_value'
  | 'duplicate_entry'
  | 'invalid_state_for_request'
  | 'invalid_request'
  | 'resource_not_found'
  | 'api_authentication_failed'
  | 'portal_session_expired'
  | 'origin_not_allowed'
  | 'api_request_limit_exceeded'
  | 'payment_processing_failed'
  | 'payment_authentication_required'
  | 'hosted_page_completed'
  | 'portal_session_used'
  | 'idempotency_key_reused'
  | 'request_in_progress'
  | 'hosted_page_expired'
  | 'internal_error'
  | 'internal_temporary_error'
  | 'network_error'
  | 'timeout'
  | 'invalid_response'
  | 'configuration'
  | 'superseded'
  | 'closed';
/** A known code, or one a newer server sends that this client does not know yet. */
export type ErrorCode = KnownErrorCode | (string & {});

/**
 * One problem with an input, named by its field in Chargebee's bracket notation (`tiers[1][price]`). The message
 * is for people and never repeats the name: whoever shows it puts it next to the field, or after `param : `.
 */
export interface FieldError {
  readonly param: string;
  readonly message: string;
  /** What kind of problem; `param_wrong_value` unless said. */
  readonly code?: ErrorCode | undefined;
}

/**
 * How a caller names core's parameters where its API spells them otherwise (checkout_new's `subscription[plan_id]`
 * for core's `plan_id`). Given before validation, so an error carries the right name from the moment it is raised.
 */
export type ParamNames = (param: string) => string;
export const sameNames: ParamNames = (param) => param;

/**
 * The one error model: a refusal with its code, the fields at fault (none when the request as a whole is refused)
 * and details such as a card's `decline_code`. Core, the services and the browser's adapter all speak it; the HTTP
 * layer turns it into Chargebee's error shape in one place.
 */
export class PaylitError extends Error {
  override readonly name: string = 'PaylitError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }

  /** The first field at fault, if any. */
  get param(): string | undefined {
    return this.errors[0]?.param;
  }
}

/** `['tiers', 1, 'price']` -> `tiers[1][price]`; the first segment is bare, the rest bracketed. */
export function paramName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  const [head, ...rest] = path;
  return String(head) + rest.map((p) => `[${String(p)}]`).join('');
}

function describe(issue: z.core.$ZodIssue): string {
  // Messages set by our own refinements are already written for people; keep them.
  if (issue.code === 'custom') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} entries`;
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      }
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} entries`;
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `is not a known parameter`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has the wrong format' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return issue.message || 'is invalid';
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Turns a zod error into field errors; unknown keys get one error each, named by the key. */
export function fieldErrors(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ param: paramName([...prefix, ...issue.path, key]), message: 'is not a known parameter' });
      }
      continue;
    }
    out.push({ param: paramName([...prefix, ...issue.path]), message: describe(issue) });
  }
  return out;
}

/** A readable one-line summary: `price: must be at least 0; name: is required`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.param ? `${e.param}: ${e.message}` : e.message)).join('; ');
}

/** Input that breaks a rule: each field at fault with its message (the code of the first, `param_wrong_value` by default). */
export class PaylitValidationError extends PaylitError {
  override readonly name = 'PaylitValidationError';
  constructor(errors: readonly FieldError[]) {
    super(errors[0]?.code ?? 'param_wrong_value', formatFieldErrors(errors), errors);
  }
  override get param(): string {
    return this.errors[0]?.param ?? '';
  }
}

export function invalid(param: string, message: string, code?: ErrorCode): PaylitValidationError {
  return new PaylitValidationError([{ param, message, ...(code && { code }) }]);
}

/** Parses with a schema, throwing a PaylitValidationError that names each bad field. */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): z.core.output<S> {
  const result = (schema as unknown as z.ZodMiniType).safeParse(input, { reportInput: true });
  if (!result.success) throw new PaylitValidationError(fieldErrors(result.error, prefix));
  return result.data as z.core.output<S>;
}
