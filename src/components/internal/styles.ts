import { css } from 'lit';

/**
 * The design tokens every element reads. A page themes Paylit by setting `--paylit-*` on the elements (or any
 * ancestor); `theme="dark"` / `theme="light"` forces a scheme, otherwise `prefers-color-scheme` decides.
 *
 * @cssprop --paylit-color-primary - Accent: selected plan, buttons, focus ring.
 * @cssprop --paylit-color-on-primary - Text on the accent.
 * @cssprop --paylit-color-text - Body text.
 * @cssprop --paylit-color-muted - Secondary text.
 * @cssprop --paylit-color-surface - Background of cards and fields.
 * @cssprop --paylit-color-background - Background of the element.
 * @cssprop --paylit-color-border - Borders.
 * @cssprop --paylit-color-danger - Errors.
 * @cssprop --paylit-color-success - Success and "recommended" marks.
 * @cssprop --paylit-radius - Corner radius.
 * @cssprop --paylit-font - Font family.
 * @cssprop --paylit-font-size - Base font size.
 * @cssprop --paylit-spacing - The spacing unit; gaps are multiples of it.
 */
export const tokens = css`
  :host {
    /* light-dark() follows color-scheme: the system's preference, or the theme attribute. */
    color-scheme: light dark;
    --_primary: var(--paylit-color-primary, light-dark(#4f46e5, #a5b4fc));
    --_on-primary: var(--paylit-color-on-primary, light-dark(#fff, #11133a));
    --_text: var(--paylit-color-text, light-dark(#1f2328, #e6edf3));
    --_muted: var(--paylit-color-muted, light-dark(#57606a, #b1bac4));
    --_surface: var(--paylit-color-surface, light-dark(#fff, #161b22));
    --_bg: var(--paylit-color-background, transparent);
    --_border: var(--paylit-color-border, light-dark(#8c959f, #6e7681));
    --_danger: var(--paylit-color-danger, light-dark(#b42318, #ff9492));
    --_success: var(--paylit-color-success, light-dark(#1a7f37, #56d364));
    --_radius: var(--paylit-radius, 8px);
    --_font: var(--paylit-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_size: var(--paylit-font-size, 1rem);
    --_space: var(--paylit-spacing, 8px);
    --_speed: 150ms;
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_bg);
    min-width: 0;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_speed: 0ms;
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :where(button, input, select) {
    font: inherit;
    color: inherit;
  }
  :where(button, input, select, [tabindex]):focus-visible {
    outline: 3px solid var(--_primary);
    outline-offset: 2px;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    min-height: 44px;
    padding: 0 calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
    transition: background-color var(--_speed), border-color var(--_speed);
  }
  .button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .error {
    color: var(--_danger);
    font-size: 0.875em;
    margin: calc(var(--_space) / 2) 0 0;
  }
  .error:empty {
    display: none;
  }
  .muted {
    color: var(--_muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
    min-width: 0;
  }
  .field label {
    font-weight: 500;
  }
  .field :where(input, select),
  .coupon input,
  .email input {
    min-height: 44px;
    width: 100%;
    padding: 0 var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .field [aria-invalid='true'] {
    border-color: var(--_danger);
    border-width: 2px;
  }
`;
