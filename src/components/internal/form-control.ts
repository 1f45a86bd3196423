import { LitElement, type PropertyDeclarations, type ReactiveElement } from 'lit';
import type * as z from 'zod/mini';
import { fieldErrors } from '../../core/errors.js';
import { LocaleController } from './localize.js';

/**
 * Checks a value given to an element property with zod. Bad input throws a TypeError that names the element, the
 * property and the field, and the property keeps its old value.
 */
export function checkProperty<S extends z.ZodMiniType>(tag: string, name: string, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const first = fieldErrors(r.error)[0];
  const path = r.error.issues[0]?.path ?? [];
  const where = name + path.map((p) => (typeof p === 'number' ? `[${String(p)}]` : `.${String(p)}`)).join('');
  throw new TypeError(`<${tag}>: ${where} ${first?.message ?? 'is invalid'}`);
}

const store = (name: string) => Symbol.for(`paylit:${name}`);

/**
 * Properties whose every assignment is checked with zod (see `checkProperty`). Called from the class's static block,
 * before Lit reads its `static properties`, whose entries for these names then wrap the accessors to schedule the
 * update. Bad input throws and the property keeps its value.
 */
export function checkProperties(element: { prototype: object }, schemas: Record<string, z.ZodMiniType>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    const key = store(name);
    Object.defineProperty(element.prototype, name, {
      get(this: Record<symbol, unknown>) {
        return this[key];
      },
      set(this: HTMLElement & Record<symbol, unknown>, v: unknown) {
        this[key] = checkProperty(this.localName, name, schema, v);
      },
      configurable: true,
    });
  }
}

/**
 * Internal reactive state (Lit's `state: true`): a change re-renders, no attribute. Declared here rather than in
 * `static properties`, whose every entry the element manifest lists as public API.
 */
export function addStates(element: typeof ReactiveElement, names: readonly string[]): void {
  for (const name of names) element.createProperty(name, { state: true });
}

/** Stores a value in a checked property without the check (a draft the element itself shows as invalid). */
export function assignUnchecked(host: LitElement & object, name: string, value: unknown): void {
  const h = host as unknown as Record<symbol, unknown>;
  const old = h[store(name)];
  h[store(name)] = value;
  host.requestUpdate(name, old);
}

/**
 * Base of the form-associated elements: ElementInternals for the value and validity, `name`, `required`, `disabled`,
 * form reset and restore, and the `user-invalid` custom state (set once the customer has touched the control or
 * tried to submit), so pages can style `:state(user-invalid)` as they style `:user-invalid`.
 */
export abstract class PaylitFormControl extends LitElement {
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = { mode: 'open', delegatesFocus: true };
  static override properties: PropertyDeclarations = {
    locale: { reflect: true },
    theme: { reflect: true },
    name: { reflect: true },
    disabled: { type: Boolean, reflect: true },
    required: { type: Boolean, reflect: true },
  };

  protected readonly internals: ElementInternals = this.attachInternals();
  /** @internal */
  readonly l10n = new LocaleController(this);

  /** The language of the element's text, money and dates (BCP 47, such as `de` or `ar-EG`). */
  locale?: string;
  /** Forces the light or dark scheme; otherwise the system's preference. */
  theme?: 'light' | 'dark';
  /** The form field name. */
  name = '';
  disabled = false;
  required = false;

  /** True once the customer interacted with the control or a submit was attempted: errors show only then. */
  /** @internal */
  touched = false;

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
  get validity(): ValidityState {
    return this.internals.validity;
  }
  get validationMessage(): string {
    return this.internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.internals.willValidate;
  }
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }
  /**
   * Shows the errors (as after a submit attempt) and reports validity. The errors are the element's own, by their
   * fields: the browser's bubble (ElementInternals.reportValidity) would cover the first of them with its twin.
   */
  reportValidity(): boolean {
    this.markTouched();
    return this.internals.checkValidity();
  }

  /** @internal */
  markTouched(): void {
    if (!this.touched) {
      this.touched = true;
      this.requestUpdate();
    }
    this.syncUserInvalid();
  }

  protected syncUserInvalid(): void {
    try {
      if (this.touched && !this.internals.validity.valid) this.internals.states.add('user-invalid');
      else this.internals.states.delete('user-invalid');
    } catch {
      // CustomStateSet without support for this name: styling hook only
    }
  }

  /** Sets the validity, anchored on the inner control the message belongs to. */
  protected setValidity(flags: ValidityStateFlags, message: string, anchor?: HTMLElement | null): void {
    if (Object.values(flags).some(Boolean)) this.internals.setValidity(flags, message, anchor ?? undefined);
    else this.internals.setValidity({});
    this.syncUserInvalid();
  }

  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  formResetCallback(): void {
    this.touched = false;
    this.resetValue();
  }

  protected abstract resetValue(): void;
}
