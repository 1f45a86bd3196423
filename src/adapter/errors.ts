import type { ErrorCode, FieldError } from '../core/errors.js';
import { PaylitError } from '../core/errors.js';
/** Where an API error belongs in the widget: the step and the field next to which its message shows. */
export interface ErrorTarget {
  readonly group: 'plan' | 'addons' | 'address' | 'customer' | 'coupon' | 'payment' | 'form';
  /** The field inside the group: `zip`, `email`, or an addon's index. */
  readonly field?: string | undefined;
}

/** Maps an API `param` (`billing_address[zip]`, `addons[quantity][1]`, `coupon_ids[0]`) to its place in the widget. */
export function errorTarget(param: string | undefined): ErrorTarget {
  if (!param) return { group: 'form' };
  const [head = '', ...rest] = param.replace(/\]/g, '').split('[');
  const last = rest[rest.length - 1];
  switch (head) {
    case 'plan_id':
    case 'plan_quantity':
      return { group: 'plan', field: head };
    case 'addons':
      return { group: 'addons', field: last };
    case 'billing_address':
      return { group: 'address', field: rest[0] };
    case 'customer':
      return { group: 'customer', field: rest[0] };
    case 'coupon_ids':
    case 'coupon':
      return { group: 'coupon' };
    case 'card_token':
    case 'card':
      return { group: 'payment' };
    default:
      return { group: 'form' };
  }
}

/**
 * A failed backend call in the one error model (core's PaylitError): the API's code and the fields at fault as the
 * server sent them, plus what a client knows (the HTTP status, where in the widget the error belongs).
 */
export class AdapterError extends PaylitError {
  override readonly name = 'AdapterError';
  readonly target: ErrorTarget;
  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came (network, timeout). */
    readonly status: number,
    /** `api_error_code`, or `network_error` / `timeout` / `invalid_response`. */
    code: ErrorCode,
    param?: string | undefined,
    /** For declines: the gateway's decline code. */
    readonly declineCode?: string | undefined,
    errors?: readonly FieldError[],
  ) {
    super(code, message, errors ?? (param !== undefined ? [{ param, message }] : []), declineCode !== undefined ? { decline_code: declineCode } : {});
    this.target = errorTarget(param);
  }
}

/** A fresh idempotency key; from getRandomValues, which (unlike randomUUID) also exists outside secure contexts. */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `pl_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The error as an AdapterError. Checked by shape, not `instanceof`: an adapter may come from another bundle (the
 * hosted page's, a test double) with its own copy of the class.
 */
export function asAdapterError(e: unknown): AdapterError {
  if (e instanceof AdapterError) return e;
  const x = e as Partial<AdapterError> | null;
  if (x && typeof x === 'object' && x.name === 'AdapterError' && typeof x.code === 'string' && typeof x.status === 'number' && typeof x.message === 'string') {
    return new AdapterError(x.message, x.status, x.code, x.param, x.declineCode);
  }
  return new AdapterError(e instanceof Error ? e.message : String(e), 0, 'network_error');
}
