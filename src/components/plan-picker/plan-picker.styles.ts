import { css } from 'lit';

export const styles = css`
  .toggles {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin-block-end: calc(var(--_space) * 2);
  }
  .toggle {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .toggle button {
    min-height: 40px;
    padding: 0 calc(var(--_space) * 1.5);
    border: 0;
    background: var(--_surface);
    cursor: pointer;
  }
  .toggle button[aria-pressed='true'] {
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }
  [role='radiogroup'].plans {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
    gap: calc(var(--_space) * 1.5);
  }
  .plan {
    position: relative;
    display: grid;
    align-content: start;
    gap: calc(var(--_space) / 2);
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
    transition: border-color var(--_speed), box-shadow var(--_speed);
    overflow-wrap: anywhere;
    /* A long catalog lays out only the cards on screen. */
    content-visibility: auto;
    contain-intrinsic-size: auto 10rem;
  }
  .plan[aria-checked='true'] {
    border-color: var(--_primary);
    box-shadow: 0 0 0 2px var(--_primary);
  }
  .plan[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .name {
    font-weight: 700;
    font-size: 1.125em;
  }
  .price {
    font-size: 1.25em;
    font-weight: 600;
  }
  .check {
    position: absolute;
    inset-block-start: var(--_space);
    inset-inline-end: var(--_space);
    width: 1.25em;
    height: 1.25em;
    border: 2px solid var(--_border);
    border-radius: 50%;
  }
  .plan[aria-checked='true'] .check {
    border: 0.35em solid var(--_primary);
  }
  [part='details'] {
    display: block;
    margin-block-start: 4px;
    font-size: 0.875em;
  }
  .empty {
    padding: calc(var(--_space) * 2);
  }
`;
