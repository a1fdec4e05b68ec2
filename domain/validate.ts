// Validation of one JAO answer for a delivery day, and what a dataset's declaration asks of it; the passes that read
// the answer are in domain/validationPhases.ts (validateWindow).
import { dayWindow } from './calendar';
import {
  type DatasetDeclaration,
  declaredResolutionOn,
  MAX_PLAUSIBLE_VALUE,
  publishedEmptyKeysOf,
  unitsOf,
} from './datasets';
import { truncateText } from './jaoEnvelope';
import { printableText } from './text';
import type { DeliveryDay, Rejection } from './types';
import {
  KEY_RULES,
  rejection,
  type ValidationOptions,
  type ValidationOutcome,
  validateWindow,
} from './validationPhases';

export type { RejectionRule, ValidationOptions, ValidationOutcome } from './validationPhases';
export { DEFAULT_RESOLUTION_MINUTES, MAX_PLAUSIBLE_MW, validateWindow } from './validationPhases';

/**
 * Which stored values of the day a refusal keeps (the write path treats a stored value the answer no longer
 * carries as vanished, unless a refusal covers it): a refused value keeps the stored value of its cell, a refused
 * row every value at its MTU, a row whose MTU cannot be read the whole day. A null keeps nothing (JAO says it
 * publishes no value there), nor does a refused key (it was never stored: refused keys are malformed or new).
 */
export function storedValuesKeptBy(rejection: Rejection): 'none' | 'cell' | 'mtu' | 'day' {
  if (rejection.rule === 'null_value' || (KEY_RULES as readonly string[]).includes(rejection.rule))
    return 'none';
  const mtuKnown = rejection.mtu !== null && !Number.isNaN(Date.parse(rejection.mtu));
  if (!mtuKnown) return 'day';
  return rejection.key !== null ? 'cell' : 'mtu';
}

/** The validation options a dataset's declaration implies for a day. */
export function optionsFor(declaration: DatasetDeclaration, day: DeliveryDay): ValidationOptions {
  return {
    keptFields: declaration.extraRowFields.map((field) => field.name),
    declaredResolutionMinutes: declaredResolutionOn(declaration, day),
    publishedEmptyKeys: publishedEmptyKeysOf(declaration),
    keyPattern: declaration.keyPattern,
    valueSign: declaration.valueSign,
    maxPlausibleValue: Math.max(...unitsOf(declaration).map((unit) => MAX_PLAUSIBLE_VALUE[unit])),
    ...(declaration.publishedNull ? { nullsPublished: true } : {}),
    ...(declaration.sparse ? { sparseRows: true } : {}),
  };
}

/** Validates a parsed answer for a delivery day (its Europe/Amsterdam window). */
export function validateDay(
  day: DeliveryDay,
  payload: unknown,
  options: ValidationOptions = {},
): ValidationOutcome {
  return validateWindow(dayWindow(day), payload, options);
}

/** Same as validateDay, from the raw body text as received. */
export function validateDayBody(
  day: DeliveryDay,
  body: string,
  options: ValidationOptions = {},
): ValidationOutcome {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    const reason = `body is not JSON: ${printableText(error instanceof Error ? error.message : String(error), 200)}`;
    return { ok: false, reason, rejections: [rejection('envelope', null, truncateText(body))] };
  }
  return validateDay(day, payload, options);
}
