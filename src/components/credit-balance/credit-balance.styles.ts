import { css } from 'lit';

export const styles = css`
  :host {
    display: inline-block;
  }
  .balance {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    min-height: 44px;
    padding: 0 calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    cursor: pointer;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .dot {
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_success);
  }
  .low .dot {
    background: var(--_danger);
  }
  [popover] {
    position: fixed;
    inset: auto;
    margin: 0;
    width: min(22rem, var(--_max-width, calc(100vw - 16px)));
    max-height: var(--_max-height, 80vh);
    overflow: auto;
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.25);
  }
`;
