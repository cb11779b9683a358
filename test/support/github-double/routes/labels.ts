// Repository labels, and the label helpers issues share (GitHub matches label names case-insensitively).
import { optionalString, requireObjectBody, type JsonObject } from '../body-checks.ts';
import { ApiError, invalidRequest, notFound, validationFailed } from '../errors.ts';
import { nodeId } from '../ids.ts';
import { json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import type { LabelRecord } from '../types.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/issues/labels#list-labels-for-a-repository',
  get: 'https://docs.github.com/rest/issues/labels#get-a-label',
  create: 'https://docs.github.com/rest/issues/labels#create-a-label',
  update: 'https://docs.github.com/rest/issues/labels#update-a-label',
  delete: 'https://docs.github.com/rest/issues/labels#delete-a-label',
};

/** The color GitHub gives labels created implicitly (through an issue). */
export const IMPLICIT_LABEL_COLOR = 'ededed';

/** The labels GitHub creates in every new repository. */
const GITHUB_DEFAULT_LABELS: ReadonlyArray<[string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['question', 'd876e3', 'Further information is requested'],
  ['wontfix', 'ffffff', 'This will not be worked on'],
];

export function seedDefaultLabels(model: RepoModel): void {
  for (const [name, color, description] of GITHUB_DEFAULT_LABELS) {
    addLabel(model, { name, color, description, isDefault: true });
  }
}

export function findLabel(model: RepoModel, name: string): LabelRecord | undefined {
  const wanted = name.toLowerCase();
  return model.state.labels.find((label) => label.name.toLowerCase() === wanted);
}

function addLabel(
  model: RepoModel,
  input: { name: string; color: string; description: string | null; isDefault?: boolean },
): LabelRecord {
  const id = model.ids.take('label');
  const label: LabelRecord = {
    id,
    node_id: nodeId('LA', id),
    name: input.name,
    color: input.color,
    description: input.description,
    default: input.isDefault ?? false,
  };
  model.state.labels.push(label);
  return label;
}

/** The labels with these names, creating missing ones as GitHub does when an issue names them. */
export function ensureLabels(model: RepoModel, names: readonly string[]): LabelRecord[] {
  const result: LabelRecord[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const label = findLabel(model, name) ?? addLabel(model, { name, color: IMPLICIT_LABEL_COLOR, description: null });
    if (!result.includes(label)) result.push(label);
  }
  return result;
}

export function labelJson(model: RepoModel, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.node_id,
    url: `${model.repoApiUrl}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

function normalizeColor(color: string | null | undefined, docs: string): string | undefined {
  if (color === undefined || color === null) return undefined;
  const value = color.startsWith('#') ? color.slice(1) : color;
  if (!/^[0-9a-fA-F]{6}$/.test(value)) {
    throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }], docs);
  }
  return value;
}

function checkDescription(description: string | null | undefined, docs: string): void {
  if (typeof description === 'string' && description.length > 100) {
    throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'description' }], docs);
  }
}

function alreadyExists(docs: string): ApiError {
  return validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], docs);
}

function renameInIssues(model: RepoModel, from: string, to: string | undefined): void {
  for (const issue of model.state.issues) {
    const index = issue.labels.indexOf(from);
    if (index < 0) continue;
    if (to === undefined) issue.labels.splice(index, 1);
    else issue.labels[index] = to;
  }
}

export function labelRoutes(model: RepoModel): RouteDefinition[] {
  const toJson = (label: LabelRecord) => labelJson(model, label);
  const byName = (name: string | undefined, docs: string): LabelRecord => {
    const label = name === undefined ? undefined : findLabel(model, name);
    if (!label) throw notFound(docs);
    return label;
  };
  const sorted = () =>
    [...model.state.labels].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id);

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/labels',
      docs: DOCS.list,
      handler: (request) => listReply(model, request, sorted(), toJson),
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/labels/:name',
      docs: DOCS.get,
      handler: ({ params }) => json(200, toJson(byName(params.name, DOCS.get))),
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/labels',
      docs: DOCS.create,
      handler: ({ body: rawBody }) => {
        const body: JsonObject = requireObjectBody(rawBody, DOCS.create);
        const name = optionalString(body, 'name', DOCS.create);
        if (name === undefined || name === null) throw invalidRequest(`"name" wasn't supplied.`, DOCS.create);
        if (name.trim() === '') throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }], DOCS.create);
        const color = normalizeColor(optionalString(body, 'color', DOCS.create), DOCS.create);
        const description = optionalString(body, 'description', DOCS.create, true);
        checkDescription(description, DOCS.create);
        if (findLabel(model, name)) throw alreadyExists(DOCS.create);
        const label = addLabel(model, { name: name.trim(), color: color ?? IMPLICIT_LABEL_COLOR, description: description ?? null });
        return json(201, toJson(label), { location: `${model.repoApiUrl}/labels/${encodeURIComponent(label.name)}` });
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/labels/:name',
      docs: DOCS.update,
      handler: ({ params, body: rawBody }) => {
        const label = byName(params.name, DOCS.update);
        const body = requireObjectBody(rawBody, DOCS.update);
        const newName = optionalString(body, 'new_name', DOCS.update);
        const color = normalizeColor(optionalString(body, 'color', DOCS.update), DOCS.update);
        const description = optionalString(body, 'description', DOCS.update, true);
        checkDescription(description, DOCS.update);
        if (newName !== undefined && newName !== null) {
          if (newName.trim() === '') throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }], DOCS.update);
          const clash = findLabel(model, newName);
          if (clash && clash !== label) throw alreadyExists(DOCS.update);
          renameInIssues(model, label.name, newName.trim());
          label.name = newName.trim();
        }
        if (color !== undefined) label.color = color;
        if (description !== undefined) label.description = description;
        return json(200, toJson(label));
      },
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/labels/:name',
      docs: DOCS.delete,
      handler: ({ params }) => {
        const label = byName(params.name, DOCS.delete);
        model.state.labels.splice(model.state.labels.indexOf(label), 1);
        renameInIssues(model, label.name, undefined);
        return json(204);
      },
    },
  ];
}
