// Checks of request-body fields, answering as GitHub does when a field is absent or of the wrong type.
import { invalidRequest } from './errors.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObjectBody(body: unknown, docs: string): JsonObject {
  if (body === undefined) return {};
  if (!isObject(body)) throw invalidRequest('Invalid input: object is expected', docs);
  return body;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function requiredString(body: JsonObject, field: string, docs: string): string {
  const value = body[field];
  if (value === undefined) throw invalidRequest(`"${field}" wasn't supplied.`, docs);
  if (typeof value !== 'string') {
    throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not a string.`, docs);
  }
  return value;
}

export function optionalString(body: JsonObject, field: string, docs: string, nullable = false): string | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'string') {
    throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not a string${nullable ? ' or null' : ''}.`, docs);
  }
  return value;
}

export function optionalBoolean(body: JsonObject, field: string, docs: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not a boolean.`, docs);
  }
  return value;
}

export function optionalStringArray(body: JsonObject, field: string, docs: string): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not an array of strings (got ${typeName(value)}).`, docs);
  }
  return value as string[];
}

export function optionalEnum<T extends string>(
  body: JsonObject,
  field: string,
  allowed: readonly T[],
  docs: string,
): T | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not one of ${allowed.join(', ')}.`, docs);
  }
  return value as T;
}
