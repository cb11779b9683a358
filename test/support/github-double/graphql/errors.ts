// GraphQL errors shaped as GitHub answers them (docs/github-behaviours.md, item 15): HTTP 200 with
// `errors`, each with its `message`, `locations` and `path`, a `type` for errors found while
// resolving (NOT_FOUND, EXCESSIVE_PAGINATION, ...), and for a query GitHub refuses before running
// it, `extensions.code` (undefinedField, argumentNotAccepted) and no `data` at all.
import {
  FieldsOnCorrectTypeRule,
  GraphQLError,
  Kind,
  KnownArgumentNamesRule,
  specifiedRules,
  type ASTNode,
  type ASTVisitor,
  type ValidationContext,
} from 'graphql';

/** An error a resolver raises, with GitHub's `type`. */
export class ResolveError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where GitHub's validation errors say they are: `query Name`, then the field names down to the offending one. */
function pathOf(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>, last: string): string[] {
  const path: string[] = [];
  for (const node of ancestors) {
    if (Array.isArray(node)) continue;
    const n = node as ASTNode;
    if (n.kind === Kind.OPERATION_DEFINITION) path.push(n.name ? `${n.operation} ${n.name.value}` : n.operation);
    else if (n.kind === Kind.FRAGMENT_DEFINITION) path.push(`fragment ${n.name.value}`);
    else if (n.kind === Kind.FIELD) path.push(n.name.value);
  }
  return [...path, last];
}

/** A field the type does not have: GitHub's `Field 'x' doesn't exist on type 'T'`. */
function undefinedFieldRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node, _key, _parent, _path, ancestors) {
      const type = context.getParentType();
      if (!type || context.getFieldDef() || node.name.value === '__typename') return;
      context.reportError(
        new GraphQLError(`Field '${node.name.value}' doesn't exist on type '${type.name}'`, {
          nodes: node,
          path: pathOf(ancestors, node.name.value),
          extensions: { code: 'undefinedField', typeName: type.name, fieldName: node.name.value },
        }),
      );
    },
  };
}

/** An argument the field does not take: `Field 'x' doesn't accept argument 'y'`. */
function unknownArgumentRule(context: ValidationContext): ASTVisitor {
  return {
    Argument(node, _key, _parent, _path, ancestors) {
      const field = context.getFieldDef();
      const directive = context.getDirective();
      const known = directive ? directive.args : field?.args;
      if (!known || known.some((arg) => arg.name === node.name.value)) return;
      const owner = directive ? `Directive '${directive.name}'` : `Field '${field!.name}'`;
      context.reportError(
        new GraphQLError(`${owner} doesn't accept argument '${node.name.value}'`, {
          nodes: node,
          path: pathOf(ancestors, node.name.value),
          extensions: { code: 'argumentNotAccepted', name: directive?.name ?? field!.name, typeName: directive ? 'Directive' : 'Field', argumentName: node.name.value },
        }),
      );
    },
  };
}

/** graphql-js's checks, with GitHub's wording for unknown fields and arguments. */
export const VALIDATION_RULES = [
  undefinedFieldRule,
  unknownArgumentRule,
  ...specifiedRules.filter((rule) => rule !== FieldsOnCorrectTypeRule && rule !== KnownArgumentNamesRule),
];

/** One entry of `errors` in GitHub's key order. */
export function githubError(error: GraphQLError): Record<string, unknown> {
  const type = error.originalError instanceof ResolveError ? error.originalError.type : undefined;
  const extensions = Object.keys(error.extensions ?? {}).length ? error.extensions : undefined;
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(extensions ? { extensions } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}
