// Test helper: validates response bodies against the schemas extracted from GitHub's OpenAPI description
// (openapi-routes.json, written by scripts/extract-openapi-routes.mjs).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export interface ExtractedOperation {
  operationId: string;
  status: number;
  otherSuccessStatuses?: number[];
  responseSchema: unknown;
  requestSchema: unknown;
}

export interface ExtractedRoutes {
  source: string;
  specVersion: string;
  operations: Record<string, ExtractedOperation>;
}

export function loadExtractedRoutes(): ExtractedRoutes {
  return JSON.parse(readFileSync(new URL('./openapi-routes.json', import.meta.url), 'utf8')) as ExtractedRoutes;
}

/**
 * OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "null, or the schema". Ajv's own
 * `nullable` support needs a sibling `type`, which GitHub's oneOf/allOf schemas lack.
 */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  let nullable = false;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') {
      nullable = value === true;
    } else if (key === 'discriminator') {
      // An OpenAPI hint for code generators (GET /user's private-user | public-user); oneOf still decides.
      continue;
    } else if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, openApiToJsonSchema(schema)]));
    } else if (key === 'enum' || key === 'default' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = openApiToJsonSchema(value);
    }
  }
  if (!nullable) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return { anyOf: [{ type: 'null' }, out] };
}

export interface SchemaValidator {
  routes: ExtractedRoutes;
  /** Returns Ajv's errors (empty when valid). Throws for an operation not in the file. */
  validateResponse(operation: string, body: unknown): ErrorObject[];
  validateRequest(operation: string, body: unknown): ErrorObject[];
}

export function createSchemaValidator(routes: ExtractedRoutes = loadExtractedRoutes()): SchemaValidator {
  // strict: unknown keywords and unknown formats are compile errors, never silent passes.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, validateFormats: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv, formats: string[]) => Ajv;
  addFormats(ajv, ['date-time', 'uri', 'email']);
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });

  const cache = new Map<string, ValidateFunction>();
  const compiled = (operation: string, which: 'responseSchema' | 'requestSchema'): ValidateFunction => {
    const key = `${which} ${operation}`;
    let validate = cache.get(key);
    if (!validate) {
      const entry = routes.operations[operation];
      if (!entry) throw new Error(`no extracted schema for ${operation}`);
      const schema = entry[which];
      if (!schema) throw new Error(`${operation} has no ${which}`);
      validate = ajv.compile(openApiToJsonSchema(schema) as object);
      cache.set(key, validate);
    }
    return validate;
  };
  const run = (validate: ValidateFunction, body: unknown) => (validate(body) ? [] : [...(validate.errors ?? [])]);
  return {
    routes,
    validateResponse: (operation, body) => run(compiled(operation, 'responseSchema'), body),
    validateRequest: (operation, body) => run(compiled(operation, 'requestSchema'), body),
  };
}
