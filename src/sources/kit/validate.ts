// Small checks for API answers: each names the field that is wrong, so a bad answer is reported
// precisely. Shared by both clouds' clients.

import { boundedField } from '../../base/cloud-text.js';
import type { Warn } from './answer-warnings.js';
import { ApiError, type Provider } from '../../contract/types.js';

export type JsonObject = Record<string, unknown>;

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function expectObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${where} is ${describe(value)}, expected an object`);
  return value;
}

/** A number, or null when absent or null. */
export function optionalNumber(object: JsonObject, key: string, where: string): number | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // An integer beyond 2^53 (kept as a bigint by the JSON reader): out of any range we check.
  if (typeof value === 'bigint') return Number(value);
  throw new ShapeError(`${where}.${key} is ${describe(value)}, expected a number`);
}

/** An integer id: number, bigint, or a string of digits; null when absent. */
export function optionalInteger(object: JsonObject, key: string, where: string): number | bigint | string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  return integerValue(value, `${where}.${key}`);
}

/** Digits of an integer id at most: a 64-bit id has 20; reading a longer one only costs time. */
export const MAX_INTEGER_DIGITS = 40;

/** An integer id (number, bigint or a string of at most MAX_INTEGER_DIGITS digits), or null for anything else: one odd item is left out, not the whole answer. */
export function integerOrNull(value: unknown): number | bigint | string | null {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value.length <= MAX_INTEGER_DIGITS) return value;
  return null;
}

export function integerValue(value: unknown, where: string): number | bigint | string {
  const integer = integerOrNull(value);
  if (integer === null)
    throw new ShapeError(
      `${where} is ${describe(value)}, expected an integer${typeof value === 'string' ? ` of at most ${MAX_INTEGER_DIGITS} digits` : ''}`,
    );
  return integer;
}

/** A string, bounded to MAX_FIELD_CHARS (base/cloud-text.ts); null when absent or null. */
export function optionalString(object: JsonObject, key: string, where: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return boundedField(value);
  throw new ShapeError(`${where}.${key} is ${describe(value)}, expected a string`);
}

export function optionalArray(object: JsonObject, key: string, where: string): unknown[] | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value;
  throw new ShapeError(`${where}.${key} is ${describe(value)}, expected an array`);
}

/** The value when it is within [min, max] (and an integer when asked); otherwise null, with `warn` told why. */
export function inRange(
  value: number | null,
  range: { min: number; max?: number; integer?: boolean },
  field: string,
  warn: Warn,
): number | null {
  if (value === null) return null;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (value >= range.min && value <= max && (!range.integer || Number.isInteger(value))) return value;
  const expected = range.max === undefined ? `>= ${range.min}` : `${range.min}..${range.max}`;
  warn(
    `${field} is out of range`,
    `${field} ${value} is out of range (expected ${range.integer ? 'an integer ' : ''}${expected}); left out`,
  );
  return null;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Decimal digits of an integer id, without exponent notation or rounding of bigints. */
export function integerText(value: number | bigint | string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/** `parse()`'s result; an answer of the wrong shape becomes the call's invalid_response ApiError. */
export function validatedAnswer<T>(provider: Provider, action: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ApiError(provider, action, 'invalid_response', 'invalid_response', `${action}: ${error.message}`);
  }
}
