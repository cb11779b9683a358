// Writes github-schema.graphql: the part of GitHub's public GraphQL schema the double serves, with
// GitHub's own type names, field types, arguments and descriptions, so a query that works against
// the double is spelled as GitHub spells it. The schema ships in @octokit/graphql-schema (not a
// dependency: 7 MB); fetch it once and point this script at its schema.graphql:
//   cd /tmp && npm pack @octokit/graphql-schema@15.26.1 && tar xzf octokit-graphql-schema-15.26.1.tgz
//   npx tsx test/support/github-double/graphql/extract-schema.ts /tmp/package/schema.graphql
import { readFileSync, writeFileSync } from 'node:fs';
import {
  buildSchema,
  Kind,
  parse,
  print,
  validateSchema,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type NamedTypeNode,
  type TypeNode,
} from 'graphql';

const SOURCE = '@octokit/graphql-schema@15.26.1';

/** Object and interface types, with the fields the double resolves. */
const FIELDS: Record<string, string[]> = {
  Query: ['id', 'repository'],
  Node: ['id'],
  Actor: ['login', 'url'],
  User: ['id', 'login', 'url'],
  Bot: ['id', 'login', 'url'],
  Organization: ['id', 'login', 'url'],
  Repository: ['id', 'databaseId', 'name', 'nameWithOwner', 'url', 'deployments', 'ref', 'refs', 'issues', 'issue', 'defaultBranchRef'],
  Deployment: [
    'id', 'databaseId', 'commit', 'commitOid', 'createdAt', 'updatedAt', 'creator', 'description', 'environment', 'latestEnvironment',
    'originalEnvironment', 'latestStatus', 'payload', 'state', 'statuses', 'task',
  ],
  DeploymentStatus: ['id', 'createdAt', 'updatedAt', 'creator', 'deployment', 'description', 'environment', 'environmentUrl', 'logUrl', 'state'],
  Ref: ['id', 'name', 'prefix', 'target'],
  GitObject: ['id', 'oid', 'abbreviatedOid'],
  Commit: ['id', 'oid', 'abbreviatedOid', 'authoredDate', 'committedDate'],
  Tag: ['id', 'oid', 'abbreviatedOid', 'name', 'target'],
  Issue: ['id', 'databaseId', 'number', 'title', 'body', 'url', 'state', 'stateReason', 'author', 'closed', 'closedAt', 'createdAt', 'updatedAt', 'labels'],
  Label: ['id', 'name', 'color', 'description'],
  PageInfo: ['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor'],
  ...Object.fromEntries(['Deployment', 'DeploymentStatus', 'Ref', 'Issue', 'Label'].flatMap((node) => [
    [`${node}Connection`, ['edges', 'nodes', 'pageInfo', 'totalCount']],
    [`${node}Edge`, ['cursor', 'node']],
  ])),
};

/** Enums, inputs and scalars, kept whole. */
const WHOLE = [
  'DeploymentState', 'DeploymentStatusState', 'DeploymentOrder', 'DeploymentOrderField', 'OrderDirection', 'IssueState',
  'IssueStateReason', 'IssueOrder', 'IssueOrderField', 'RefOrder', 'RefOrderField', 'DateTime', 'URI', 'GitObjectID',
];

const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const kept = new Set([...Object.keys(FIELDS), ...WHOLE]);

function named(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type);
}

const isKept = (type: TypeNode): boolean => BUILT_IN.has(named(type)) || kept.has(named(type));

/** A kept field, minus the arguments whose types the double leaves out (filters it does not emulate). */
function pruneField(owner: string, field: FieldDefinitionNode): FieldDefinitionNode {
  if (!isKept(field.type)) throw new Error(`${owner}.${field.name.value} returns ${named(field.type)}, which is not extracted: add it`);
  const args = (field.arguments ?? []).filter((arg: InputValueDefinitionNode) => isKept(arg.type));
  return { ...field, arguments: args };
}

function prune(definition: DefinitionNode): DefinitionNode | undefined {
  if (!('name' in definition) || !definition.name || !kept.has(definition.name.value)) return undefined;
  const name = definition.name.value;
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) return definition;
  const wanted = FIELDS[name]!;
  const fields = (definition.fields ?? []).filter((field) => wanted.includes(field.name.value)).map((field) => pruneField(name, field));
  const missing = wanted.filter((field) => !fields.some((f) => f.name.value === field));
  if (missing.length) throw new Error(`${name} has no field ${missing.join(', ')} in ${SOURCE}`);
  const interfaces = (definition.interfaces ?? []).filter((i: NamedTypeNode) => kept.has(i.name.value));
  return { ...definition, fields, interfaces };
}

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: extract-schema.ts <path to schema.graphql of @octokit/graphql-schema>');
const document = parse(readFileSync(source, 'utf8'), { noLocation: true });
const definitions = document.definitions.map(prune).filter((d): d is DefinitionNode => d !== undefined);
const absent = [...kept].filter((name) => !definitions.some((d) => 'name' in d && d.name?.value === name));
if (absent.length) throw new Error(`not in ${SOURCE}: ${absent.join(', ')}`);
const sdl = print({ kind: Kind.DOCUMENT, definitions });
const invalid = validateSchema(buildSchema(sdl)).map((e) => e.message);
if (invalid.length) throw new Error(`the extract is no valid schema: ${invalid.join('; ')}`);
const header = `# GitHub's public GraphQL schema (${SOURCE}), only the types and fields the double serves.\n# Generated by extract-schema.ts; do not edit.\n\n`;
writeFileSync(new URL('./github-schema.graphql', import.meta.url), `${header}${sdl}\n`);
