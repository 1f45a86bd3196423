import * as z from 'zod/mini';
import { type ChangeParams, changeParams } from '../../core/params/change.js';
import { paramError } from '../errors.js';

/** A subscription update's parameters (subscription update, its estimate and checkout_existing take them). */
export const updateSchema = z.strictObject(changeParams);

/** For the calls that name the subscription's plan under subscription[...], as Chargebee does. */
export const UNDER_SUBSCRIPTION = 'is given as subscription[plan_id] / subscription[plan_quantity] in this call';

/** `end_of_term` is Chargebee's older spelling of `change_option=end_of_term`; both may not disagree. */
export function changeOf(p: z.output<typeof updateSchema>): ChangeParams {
  const { end_of_term, ...rest } = p;
  if (end_of_term !== undefined && p.change_option !== undefined && (p.change_option === 'end_of_term') !== end_of_term) {
    throw paramError('end_of_term', `disagrees with change_option=${p.change_option}; give one of them`);
  }
  const option = p.change_option ?? (end_of_term ? 'end_of_term' : undefined);
  return { ...rest, ...(option && { change_option: option }) };
}
