// POST /graphql (and /api/graphql, GitHub Enterprise Server's path): queries executed by graphql-js
// against GitHub's own schema (the extract in graphql/github-schema.graphql), resolved from the same
// model the REST routes serve. Answers are HTTP 200 with `data` and/or `errors`, as GitHub's.
import { readFileSync } from 'node:fs';
import { buildSchema, execute, GraphQLError, parse, validate, type DocumentNode } from 'graphql';
import { isObject } from '../body-checks.ts';
import { githubError, VALIDATION_RULES } from '../graphql/errors.ts';
import { graphqlContext, queryRoot } from '../graphql/resolvers.ts';
import { json, type RepoModel } from '../model.ts';
import type { Reply, RouteDefinition } from '../router.ts';

const DOCS = 'https://docs.github.com/graphql';
const schema = buildSchema(readFileSync(new URL('../graphql/github-schema.graphql', import.meta.url), 'utf8'));

/** The name of the request's operation (`query DeploymentHistory(...)`), for the request log and faults. */
export function operationOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (typeof body.operationName === 'string') return body.operationName;
  return typeof body.query === 'string' ? /\b(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(body.query)?.[1] : undefined;
}

async function answer(model: RepoModel, body: unknown): Promise<Reply> {
  if (!isObject(body) || typeof body.query !== 'string') {
    return json(200, { errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return json(200, { errors: [githubError(error as GraphQLError)] });
  }
  const invalid = validate(schema, document, VALIDATION_RULES);
  if (invalid.length) return json(200, { errors: invalid.map(githubError) });
  const context = graphqlContext(model);
  const result = await execute({
    schema,
    document,
    rootValue: queryRoot(context),
    contextValue: context,
    variableValues: isObject(body.variables) ? body.variables : undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
  });
  return json(200, {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length ? { errors: result.errors.map(githubError) } : {}),
  });
}

export function graphqlRoutes(model: RepoModel): RouteDefinition[] {
  return ['/graphql', '/api/graphql'].map((pattern) => ({ method: 'POST', pattern, docs: DOCS, handler: ({ body }) => answer(model, body) }));
}
