import { css } from 'lit';

export const styles = css`
  :host {
    container-type: inline-size;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
  }
  .row {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow-wrap: anywhere;
  }
  .info {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .name {
    font-weight: 600;
  }
  .badge {
    display: inline-block;
    margin-inline-start: var(--_space);
    padding: 0 6px;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.75em;
    font-weight: 600;
    color: var(--_success);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--_space);
  }
  .stepper {
    display: inline-flex;
    align-items: stretch;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .stepper button {
    min-width: 44px;
    min-height: 44px;
    border: 0;
    background: var(--_surface);
    cursor: pointer;
    font-size: 1.25em;
  }
  .stepper button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  .stepper input {
    width: 4em;
    border: 0;
    border-inline: 1px solid var(--_border);
    text-align: center;
    background: var(--_surface);
  }
  .stepper input[aria-invalid='true'] {
    outline: 2px solid var(--_danger);
    outline-offset: -2px;
  }
  .amount {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    min-width: 5em;
    text-align: end;
  }
  .link {
    background: none;
    border: 0;
    color: var(--_primary);
    text-decoration: underline;
    cursor: pointer;
    min-height: 44px;
    padding: 0 4px;
  }
  .add {
    margin-block-start: var(--_space);
  }
  [popover] {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: 4px;
    min-width: 16rem;
    max-width: min(24rem, var(--_max-width, 100vw));
    max-height: var(--_max-height, 60vh);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
  }
  [role='option'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: var(--_space);
    align-items: center;
    min-height: 44px;
    padding: var(--_space);
    border-radius: calc(var(--_radius) / 2);
    cursor: pointer;
  }
  [role='option']:hover,
  [role='option']:focus-visible {
    background: color-mix(in srgb, var(--_primary) 14%, transparent);
  }
  .lock {
    font-size: 0.875em;
  }
  @media (max-width: 420px) {
    .row {
      grid-template-columns: 1fr;
    }
    .controls {
      justify-content: flex-start;
    }
  }
  /* Narrow (an order summary's column, a phone): the name above, the stepper and amount below it. */
  @container (max-width: 26rem) {
    .row {
      grid-template-columns: minmax(0, 1fr);
    }
    .controls {
      justify-content: space-between;
    }
  }
`;
