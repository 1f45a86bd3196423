import { css } from 'lit';

/** The steps, the summary and the forms: with the checkout's templates (a lazy chunk). */
export const viewStyles = css`
  .layout {
    display: grid;
    gap: calc(var(--_space) * 3);
  }
  .one-page .layout {
    grid-template-columns: minmax(0, 1.6fr) minmax(16rem, 1fr);
    align-items: start;
  }
  .main {
    min-width: 0;
  }
  section {
    display: grid;
    gap: calc(var(--_space) * 1.5);
    margin-block-end: calc(var(--_space) * 3);
  }
  section[hidden] {
    display: none;
  }
  h2 {
    margin: 0;
    font-size: 1.125em;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 3px solid var(--_primary);
  }
  .stepper {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    list-style: none;
    margin: 0 0 calc(var(--_space) * 2);
    padding: 0;
  }
  .step-link {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 44px;
    padding: 0 var(--_space);
    border: 0;
    background: none;
    cursor: pointer;
    color: var(--_muted);
  }
  .step-link[aria-current='step'] {
    color: var(--_text);
    font-weight: 700;
  }
  .step-link:disabled {
    cursor: default;
  }
  .num {
    display: inline-grid;
    place-items: center;
    width: 1.6em;
    height: 1.6em;
    border-radius: 50%;
    border: 1px solid currentColor;
    font-size: 0.85em;
  }
  [aria-current='step'] .num {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }
  .actions .primary {
    flex: 1 1 12rem;
    max-width: 24rem;
  }
  .summary {
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    display: grid;
    gap: var(--_space);
    overflow-wrap: anywhere;
  }
  .lines,
  .coupons,
  .review {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  .lines li,
  .totals div,
  .due {
    display: flex;
    justify-content: space-between;
    gap: var(--_space);
  }
  .totals {
    margin: 0;
    display: grid;
    gap: 4px;
    border-block-start: 1px solid var(--_border);
    padding-block-start: var(--_space);
  }
  .totals dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .grand {
    font-weight: 700;
  }
  .due {
    margin: 0;
    font-size: 1.125em;
    border-block-start: 2px solid var(--_border);
    padding-block-start: var(--_space);
  }
  .coupon .row {
    display: flex;
    gap: var(--_space);
  }
  .coupon input,
  .email input {
    flex: 1;
    min-width: 0;
    min-height: 44px;
    padding: 0 var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .coupon label {
    display: block;
    margin-block-end: 4px;
  }
  .link {
    background: none;
    border: 0;
    color: var(--_primary);
    cursor: pointer;
    min-width: 44px;
    min-height: 44px;
  }
  .card iframe {
    display: block;
    width: 100%;
    border: 0;
    color-scheme: normal;
  }
`;
