// Failures as the panel words them.
import { BackendError } from '../backend.js';
import { NestingError } from '../mapping.js';

// Failure kinds whose message is the catalog key `error.<kind>`.
const ERROR_KINDS = new Set([
  'network',
  'timeout',
  'http',
  'unauthorized',
  'notJson',
  'tooLarge',
  'core',
  'mapping',
  'program',
  'customer',
  'context',
]);

/** The catalog key for a failure kind. */
export const errorKey = (kind) => `error.${ERROR_KINDS.has(kind) ? kind : 'network'}`;

/** {kind, status, code, details} for loyalty:error and the error block. */
export function describe(error) {
  if (error instanceof NestingError) return { kind: error.kind, details: error.details };
  if (error instanceof BackendError) {
    return { kind: error.kind, status: error.status, code: error.code, details: [] };
  }
  return { kind: 'network', details: [String(error?.message ?? error)] };
}

/**
 * One line for a failed action: the catalog's text for the backend's error code when it needs
 * no parameters, else the backend's message, else the failure kind's text.
 */
export function backendErrorText(error, fmt) {
  if (error instanceof BackendError) {
    const known = error.code ? fmt.t(error.code) : '';
    if (known && known !== error.code && !/\{\w+\}/.test(known)) return known;
    if (error.message && error.message !== error.kind) return error.message;
    return fmt.t(errorKey(error.kind), { status: { number: error.status } });
  }
  if (error instanceof NestingError) return fmt.t(errorKey(error.kind));
  return fmt.t('error.network');
}
