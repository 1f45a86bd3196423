import { css } from 'lit';

/** The offer's content (adopted by the element when the offer's chunk loads); the popover's box is the element's. */
export const offerStyles = css`
  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.0625em;
  }
  p {
    margin: 0 0 calc(var(--_space) * 1.5);
  }
  .actions {
    display: grid;
    gap: var(--_space);
  }
  .packs {
    border: 0;
    padding: 0;
    margin: 0 0 var(--_space);
    display: grid;
    gap: 4px;
  }
  .pack {
    display: grid;
    grid-template-columns: auto 1fr auto;
    align-items: center;
    gap: var(--_space);
    min-height: 44px;
    padding: 0 var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    cursor: pointer;
  }
  .qty {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
    margin-block-end: calc(var(--_space) * 1.5);
  }
  .qty input {
    width: 5em;
    min-height: 40px;
    padding: 0 var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface);
  }
`;
