import type { z } from 'zod/mini';

/** One problem with an input, named by its field in Chargebee's bracket notation (`tiers[1][price]`). */
export interface FieldError {
  readonly param: string;
  readonly message: string;
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

/** Raised by core functions when their input breaks a domain rule; names the offending parameter. */
export class PaylitValidationError extends Error {
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[]) {
    super(formatFieldErrors(errors));
    this.name = 'PaylitValidationError';
    this.errors = errors;
  }
  get param(): string {
    return this.errors[0]?.param ?? '';
  }
}

export function invalid(param: string, message: string): PaylitValidationError {
  return new PaylitValidationError([{ param, message }]);
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
