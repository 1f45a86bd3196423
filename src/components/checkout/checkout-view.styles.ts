import { css } from 'lit';

/**
 * One page: on a wide element (44rem and more) the form on one side and the order summary beside it; narrower, one
 * column with the summary at the top, its details collapsed behind a toggle that shows the total. With the
 * checkout's templates (a lazy chunk). The card frame (`.card`) has its own height before it says it
 * (src/hosted/card-frame.ts), one row from 460 px of its own width and else two, and so has the box that holds its
 * place until the hosted checkout has loaded (src/hosted/checkout.ts). The frame is 4 px wider than the column and
 * starts 2 px before it: its fields sit in a 2 px padding (room for their focus ring), so their edges line up with
 * the other fields' (its 460 px are the column's 456). The coupon's input and button have the fields' box
 * (internal/styles.ts) and share a row. Comments stay out of the `css` text, which ships as written.
 */
export const viewStyles = css`
  :host {
    container-type: inline-size;
  }
  .merchant {
    display: flex;
    align-items: center;
    gap: var(--_space);
    min-height: 40px;
    margin-block-end: calc(var(--_space) * 2);
    font-weight: 600;
    font-size: 1.0625em;
  }
  .test {
    padding: 0 8px;
    border-radius: 999px;
    background: light-dark(#fff1d6, #3d2a05);
    color: light-dark(#7a4700, #f2cc60);
    font-size: 0.75em;
  }
  .logo {
    height: 32px;
    max-width: 160px;
    object-fit: contain;
  }
  .mark {
    display: inline-grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: var(--_radius);
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .layout {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  .main,
  .main section {
    display: grid;
    gap: var(--_space);
    min-width: 0;
  }
  .main {
    gap: calc(var(--_space) * 2);
  }
  h2 {
    margin: 0;
    font-size: 1em;
    font-weight: 600;
  }
  .summary {
    display: grid;
    gap: var(--_space);
    align-content: start;
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow-wrap: anywhere;
    min-width: 0;
  }
  .summary .title {
    display: none;
  }
  .toggle {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--_space);
    min-height: 44px;
    padding: 0;
    border: 0;
    background: none;
    cursor: pointer;
    color: var(--_primary);
    text-align: start;
  }
  .toggle strong {
    color: var(--_text);
    font-size: 1.125em;
  }
  .details {
    display: grid;
    gap: var(--_space);
  }
  .details:not(.open) {
    display: none;
  }
  .lines,
  .coupons {
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
  .lines li > span:last-child,
  .totals dd,
  .due strong {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .sub {
    display: block;
    font-size: 0.875em;
  }
  .totals {
    margin: 0;
    display: grid;
    gap: 4px;
  }
  .totals dd {
    margin: 0;
  }
  .due {
    margin: 0;
    font-size: 1.125em;
    border-block-start: 1px solid var(--_border);
    padding-block-start: var(--_space);
  }
  .note {
    margin: 0;
    font-size: 0.875em;
  }
  .coupon .row {
    display: flex;
    gap: var(--_space);
  }
  .coupon input,
  .email input {
    flex: 1;
    min-width: 0;
  }
  .coupon label {
    display: block;
    margin-block-end: 4px;
    font-size: 0.875em;
  }
  .email label {
    font-weight: 500;
  }
  .link {
    background: none;
    border: 0;
    color: var(--_primary);
    cursor: pointer;
    min-width: 44px;
    min-height: 44px;
  }
  .card {
    container-type: inline-size;
  }
  .card :is(iframe,[part=card-frame]) {
    display: block;
    min-height: 80px;
    width: 100%;
    border: 0;
    color-scheme: normal;
  }
  .card > [part=card-frame] {
    width: calc(100% + 4px);
    margin-inline: -2px;
  }
  .pay {
    width: 100%;
    min-height: 48px;
    font-size: 1.0625em;
  }
  .main > .error:empty {
    display: none;
  }
  #payment-error:not(:empty) {
    padding: var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    margin: 0;
  }
  .panel p {
    margin: 0;
  }
  .paid h2 {
    margin: 0;
    font-size: 1.25em;
    text-wrap: balance;
  }
  .paid h2:focus {
    outline: none;
  }
  .amount {
    font-size: 1.5em;
    font-weight: 600;
  }
  .paid :is(.lines, .totals, .pay) {
    width: min(100%, 24rem);
    text-align: start;
  }
  .paid .lines {
    padding-block: var(--_space);
    border-block: 1px solid var(--_border);
  }
  .paid div {
    align-items: baseline;
  }
  .paid dt {
    color: var(--_muted);
  }
  .paid dd {
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .paid .link {
    padding-inline: 0;
  }
  .panel .tick {
    margin-block-end: var(--_space);
  }
  .ended .tick {
    background: none;
    border: 2px solid var(--_muted);
    color: var(--_text);
  }
  .challenge {
    position: fixed;
    inset: 0;
    width: auto;
    height: auto;
    max-width: none;
    max-height: none;
    margin: 0;
    padding: 0 16px;
    border: 0;
    background: #0009;
  }
  .challenge::backdrop {
    background: none;
  }
  .challenge .box {
    box-sizing: border-box;
    width: min(26rem, 100%);
    margin: 16px auto;
    padding: calc(var(--_space) * 3);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 16px 48px #0006;
  }
  .challenge h2 {
    font-size: 1.125em;
  }
  .challenge .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .challenge .actions .primary {
    flex: 1;
  }

  @container (min-width: 44rem) {
    .layout {
      grid-template-columns: minmax(0, 1.45fr) minmax(17rem, 1fr);
      gap: calc(var(--_space) * 4);
      align-items: start;
    }
    .summary {
      grid-column: 2;
      grid-row: 1;
      padding: calc(var(--_space) * 2);
    }
    .main {
      grid-column: 1;
      grid-row: 1;
    }
    .summary .title {
      display: block;
    }
    .toggle {
      display: none;
    }
    .details:not(.open) {
      display: grid;
    }
  }
  @container (max-width: 455.98px) {
    .card :is(iframe,[part=card-frame]) {
      min-height: 156px;
    }
  }
`;
