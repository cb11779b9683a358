#!/usr/bin/env node
// Extracts, from GitHub's REST OpenAPI description (as shipped by @octokit/openapi),
// the request and success-response schemas of exactly the operations that the
// GitHub double in test/support/github-double implements, with every `$ref`
// inlined and documentation-only keywords dropped, and writes them to
// test/support/github-double/openapi-routes.json.
//
// The spec package is ~385 MB, so it is not a dependency. Fetch it once:
//   cd /tmp && npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
//   node scripts/extract-openapi-routes.mjs /tmp/package/generated/api.github.com.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = '@octokit/openapi@23.0.2';

/** Operations implemented by the double, as 'METHOD /path' in the spec's spelling. */
export const IMPLEMENTED_OPERATIONS = [
  'GET /rate_limit',
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'GET /repos/{owner}/{repo}/commits/{ref}',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/comments',
  'POST /repos/{owner}/{repo}/commits/{commit_sha}/comments',
  'GET /repos/{owner}/{repo}/compare/{basehead}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  'GET /repos/{owner}/{repo}/git/tags/{tag_sha}',
  'GET /repos/{owner}/{repo}/deployments',
  'POST /repos/{owner}/{repo}/deployments',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
  'DELETE /repos/{owner}/{repo}/deployments/{deployment_id}',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}',
  'GET /repos/{owner}/{repo}/issues',
  'POST /repos/{owner}/{repo}/issues',
  'GET /repos/{owner}/{repo}/issues/{issue_number}',
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/events',
  'GET /user',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'PUT /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
  'GET /repos/{owner}/{repo}/labels',
  'POST /repos/{owner}/{repo}/labels',
  'GET /repos/{owner}/{repo}/labels/{name}',
  'PATCH /repos/{owner}/{repo}/labels/{name}',
  'DELETE /repos/{owner}/{repo}/labels/{name}',
];

/** Keywords that only document; dropping them changes no validation outcome. */
const DROPPED_KEYWORDS = new Set(['description', 'example', 'examples', 'title', 'externalDocs', 'summary', 'deprecated']);

function resolvePointer(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolvable $ref: ${ref}`);
  }
  return node;
}

/**
 * Returns a copy of `node` with every $ref replaced by its target. A $ref that
 * refers to itself through its own expansion (a cycle) would never end; such a
 * ref is replaced by `{}` and recorded in `cycles` so the output says so.
 */
function inline(spec, node, stack, cycles) {
  if (Array.isArray(node)) return node.map((item) => inline(spec, item, stack, cycles));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (stack.includes(node.$ref)) {
      cycles.add(node.$ref);
      return {};
    }
    return inline(spec, resolvePointer(spec, node.$ref), [...stack, node.$ref], cycles);
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    // `properties` maps names to schemas: its keys are data, never keywords.
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, inline(spec, schema, stack, cycles)]),
      );
      continue;
    }
    out[key] = inline(spec, value, stack, cycles);
  }
  return out;
}

function jsonSchemaOf(spec, content) {
  const media = content?.['application/json'] ?? content?.['application/scim+json'];
  return media?.schema;
}

export function extractRoutes(spec) {
  const operations = {};
  const cycles = new Set();
  for (const key of IMPLEMENTED_OPERATIONS) {
    const [method, path] = key.split(' ');
    const operation = spec.paths?.[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`operation not in spec: ${key}`);
    const successStatuses = Object.keys(operation.responses)
      .filter((status) => /^2\d\d$/.test(status))
      .sort();
    const status = Number(successStatuses[0]);
    const response = operation.responses[successStatuses[0]];
    const resolvedResponse = response.$ref ? resolvePointer(spec, response.$ref) : response;
    const responseSchema = jsonSchemaOf(spec, resolvedResponse.content);
    const requestBody = operation.requestBody?.$ref
      ? resolvePointer(spec, operation.requestBody.$ref)
      : operation.requestBody;
    const requestSchema = jsonSchemaOf(spec, requestBody?.content);
    operations[key] = {
      operationId: operation.operationId,
      status,
      ...(successStatuses.length > 1 ? { otherSuccessStatuses: successStatuses.slice(1).map(Number) } : {}),
      responseSchema: responseSchema ? inline(spec, responseSchema, [], cycles) : null,
      requestSchema: requestSchema ? inline(spec, requestSchema, [], cycles) : null,
    };
  }
  return {
    source: SOURCE,
    specVersion: spec.info?.version,
    openapi: spec.openapi,
    note:
      'Generated by scripts/extract-openapi-routes.mjs; $refs inlined; description/example/title keywords dropped.' +
      (cycles.size ? ` Recursive $refs replaced by {}: ${[...cycles].sort().join(', ')}` : ''),
    operations,
  };
}

function main() {
  const specPath = process.argv[2];
  if (!specPath) {
    process.stderr.write('usage: node scripts/extract-openapi-routes.mjs <path/to/api.github.com.json> [out.json]\n');
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const outPath = process.argv[3] ?? join(here, '..', 'test', 'support', 'github-double', 'openapi-routes.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const routes = extractRoutes(spec);
  writeFileSync(outPath, `${JSON.stringify(routes)}\n`);
  const size = Buffer.byteLength(JSON.stringify(routes));
  process.stdout.write(`wrote ${Object.keys(routes.operations).length} operations (${size} bytes) to ${outPath}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
