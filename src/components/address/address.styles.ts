import { css } from 'lit';

/**
 * The address form's grid; wide enough (30rem), three fields a row: country and names; street and apartment; city,
 * state and postal code. Comments stay out of the `css` text, which ships as written.
 */
export const styles = css`
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-block-end: var(--_space);
    font-weight: 700;
    font-size: 1.0625em;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
    gap: calc(var(--_space) * 1.5);
  }
  .wide {
    grid-column: 1 / -1;
  }
  :host {
    container-type: inline-size;
  }
  @container (min-width: 30rem) {
    .grid {
      grid-template-columns: repeat(6, minmax(0, 1fr));
      align-items: end;
    }
    .field {
      grid-column: span 2;
    }
    [data-f='line1'] {
      grid-column: span 4;
    }
  }
`;
