// GitHub's connections: `first` or `last` (1 to 100) is required, cursors are opaque and name an
// item, not a position, so a page read after new items arrived continues where the last one ended.
import { ResolveError } from './errors.ts';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const LIMIT = 100;

function encode(key: string | number): string {
  return Buffer.from(`cursor:v2:${key}`).toString('base64');
}

function position(cursor: string, keys: string[]): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const index = text.startsWith('cursor:v2:') ? keys.indexOf(text.slice('cursor:v2:'.length)) : -1;
  if (index < 0) throw new ResolveError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return index;
}

function checkBounds(field: string, args: ConnectionArgs): void {
  if (args.first == null && args.last == null) {
    throw new ResolveError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`);
  }
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && value > LIMIT) {
      throw new ResolveError('EXCESSIVE_PAGINATION', `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${LIMIT} records.`);
    }
    if (value != null && value < 0) throw new ResolveError('INVALID_PAGINATION', `\`${name}\` on the \`${field}\` connection cannot be less than zero.`);
  }
}

/** A page of `items` (already filtered and ordered) as GitHub's `...Connection` type. */
export function connection<T>(items: readonly T[], args: ConnectionArgs, field: string, key: (item: T) => string | number, node: (item: T) => unknown) {
  checkBounds(field, args);
  const keys = items.map((item) => String(key(item)));
  let start = args.after ? position(args.after, keys) + 1 : 0;
  let end = args.before ? position(args.before, keys) : items.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const page = items.slice(start, Math.max(start, end));
  const edges = page.map((item, i) => ({ cursor: encode(keys[start + i]!), node: node(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    totalCount: items.length,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
    },
  };
}
