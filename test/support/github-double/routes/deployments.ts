// Deployments and deployment statuses, including GitHub's auto-merge and auto-inactive behaviour.
import {
  isObject,
  optionalBoolean,
  optionalEnum,
  optionalString,
  optionalStringArray,
  requireObjectBody,
  requiredString,
} from '../body-checks.ts';
import { ApiError, invalidRequest, notFound, unprocessable, validationFailed } from '../errors.ts';
import { nodeId } from '../ids.ts';
import { intParam, json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { actorOf } from '../tokens.ts';
import { DEPLOYMENT_STATES, type DeploymentRecord, type DeploymentState, type DeploymentStatusRecord } from '../types.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/deployments/deployments#list-deployments',
  create: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
  get: 'https://docs.github.com/rest/deployments/deployments#get-a-deployment',
  delete: 'https://docs.github.com/rest/deployments/deployments#delete-a-deployment',
  listStatuses: 'https://docs.github.com/rest/deployments/statuses#list-deployment-statuses',
  createStatus: 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status',
  getStatus: 'https://docs.github.com/rest/deployments/statuses#get-a-deployment-status',
};

const MAX_STATUS_DESCRIPTION = 140;

function deploymentUrl(model: RepoModel, id: number): string {
  return `${model.repoApiUrl}/deployments/${id}`;
}

export function deploymentJson(model: RepoModel, deployment: DeploymentRecord): Record<string, unknown> {
  const url = deploymentUrl(model, deployment.id);
  return {
    url,
    id: deployment.id,
    node_id: deployment.node_id,
    task: deployment.task,
    original_environment: deployment.original_environment,
    environment: deployment.environment,
    description: deployment.description,
    created_at: deployment.created_at,
    updated_at: deployment.updated_at,
    statuses_url: `${url}/statuses`,
    repository_url: model.repoApiUrl,
    creator: model.users.user(deployment.creator),
    sha: deployment.sha,
    ref: deployment.ref,
    payload: deployment.payload,
    transient_environment: deployment.transient_environment,
    production_environment: deployment.production_environment,
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(model: RepoModel, status: DeploymentStatusRecord): Record<string, unknown> {
  const deployment = deploymentUrl(model, status.deployment_id);
  return {
    url: `${deployment}/statuses/${status.id}`,
    id: status.id,
    node_id: status.node_id,
    state: status.state,
    creator: model.users.user(status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.target_url,
    created_at: status.created_at,
    updated_at: status.updated_at,
    deployment_url: deployment,
    repository_url: model.repoApiUrl,
    environment_url: status.environment_url,
    log_url: status.log_url,
    performed_via_github_app: null,
  };
}

type ResolvedRef = { sha: string; kind: 'branch' | 'tag' | 'sha' };

async function resolveDeployRef(model: RepoModel, ref: string): Promise<ResolvedRef | undefined> {
  const branch = await model.git.readRef(`refs/heads/${ref}`);
  if (branch) return { sha: branch.sha, kind: 'branch' };
  const tag = await model.git.readRef(`refs/tags/${ref}`);
  if (tag) {
    const sha = await model.git.resolveCommit(tag.sha);
    if (sha) return { sha, kind: 'tag' };
  }
  if (/^[0-9a-f]{7,40}$/i.test(ref)) {
    const sha = await model.git.resolveCommit(ref.toLowerCase());
    if (sha) return { sha, kind: 'sha' };
  }
  return undefined;
}

type StatusInput = Omit<DeploymentStatusRecord, 'id' | 'node_id' | 'deployment_id' | 'created_at' | 'updated_at'>;

function statusesOfDeployment(model: RepoModel, deployment: DeploymentRecord): DeploymentStatusRecord[] {
  return model.state.deploymentStatuses.filter((status) => status.deployment_id === deployment.id).sort((a, b) => b.id - a.id);
}

function addDeploymentStatus(model: RepoModel, deployment: DeploymentRecord, input: StatusInput): DeploymentStatusRecord {
  const id = model.ids.take('deploymentStatus');
  const now = model.now();
  const status: DeploymentStatusRecord = { id, node_id: nodeId('DES', id), deployment_id: deployment.id, ...input, created_at: now, updated_at: now };
  model.state.deploymentStatuses.push(status);
  deployment.updated_at = now;
  return status;
}

/** GitHub's auto_inactive: a success makes the environment's earlier successful deployments inactive. */
function markEarlierInactive(model: RepoModel, deployment: DeploymentRecord): void {
  for (const earlier of model.state.deployments) {
    if (
      earlier.id < deployment.id &&
      earlier.environment === deployment.environment &&
      !earlier.transient_environment &&
      statusesOfDeployment(model, earlier)[0]?.state === 'success'
    ) {
      addDeploymentStatus(model, earlier, {
        state: 'inactive',
        description: '',
        environment: earlier.environment,
        target_url: '',
        log_url: '',
        environment_url: '',
        creator: model.users.botLogin,
      });
    }
  }
}

/** What a new deployment is made of; the rest (id, node id, original environment, times) follows. */
export type DeploymentFields = Pick<
  DeploymentRecord,
  'sha' | 'ref' | 'task' | 'payload' | 'environment' | 'description' | 'creator' | 'transient_environment' | 'production_environment'
>;

/** Stores a new deployment with the next id, created `createdAt` (default now). */
export function addDeployment(model: RepoModel, fields: DeploymentFields, createdAt: string = model.now()): DeploymentRecord {
  const id = model.ids.take('deployment');
  const deployment: DeploymentRecord = { id, node_id: nodeId('DE', id), ...fields, original_environment: fields.environment, created_at: createdAt, updated_at: createdAt };
  model.state.deployments.push(deployment);
  return deployment;
}

export interface JobDeploymentInput {
  /** Who triggered the run: public reports show a job's deployment created by that user (docs/github-behaviours.md). */
  actor: string;
  sha: string;
  /** The job's ref name, e.g. 'main'. */
  ref: string;
  environment: string;
  /** The job's page, its statuses' log_url. */
  jobUrl: string;
}

export type JobResult = 'success' | 'failure' | 'cancelled';

/**
 * What GitHub Actions does for a job with `environment:`: before the job's first step, a
 * deployment in the name of the user who triggered the run (empty payload, task `deploy`, the
 * job's sha), `queued` then `in_progress`; when the job ends, a status for its result
 * (docs/github-behaviours.md).
 */
export function startJobDeployment(model: RepoModel, input: JobDeploymentInput): { id: number; finish(result: JobResult): void } {
  const deployment = addDeployment(model, {
    sha: input.sha,
    ref: input.ref,
    task: 'deploy',
    payload: {},
    environment: input.environment,
    description: '',
    creator: input.actor,
    transient_environment: false,
    production_environment: input.environment === 'production',
  });
  const { id } = deployment;
  const status = (state: DeploymentState): void => {
    addDeploymentStatus(model, deployment, {
      state,
      description: '',
      environment: input.environment,
      target_url: input.jobUrl,
      log_url: input.jobUrl,
      environment_url: '',
      creator: input.actor,
    });
    if (state === 'success') markEarlierInactive(model, deployment);
  };
  status('queued');
  status('in_progress');
  let finished = false;
  return {
    id,
    finish(result) {
      if (finished) return;
      finished = true;
      status(result === 'success' ? 'success' : result === 'failure' ? 'failure' : 'inactive');
    },
  };
}

export function deploymentRoutes(model: RepoModel): RouteDefinition[] {
  const { state } = model;
  const find = (raw: string | undefined, docs: string): DeploymentRecord => {
    const id = intParam(raw);
    const deployment = id === undefined ? undefined : state.deployments.find((candidate) => candidate.id === id);
    if (!deployment) throw notFound(docs);
    return deployment;
  };
  const statusesOf = (deployment: DeploymentRecord) => statusesOfDeployment(model, deployment);
  const latestState = (deployment: DeploymentRecord): DeploymentState | undefined => statusesOf(deployment)[0]?.state;

  const addStatus = (deployment: DeploymentRecord, input: StatusInput) => addDeploymentStatus(model, deployment, input);

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/deployments',
      docs: DOCS.list,
      handler: (request) => {
        const { sha, ref, task, environment } = request.query;
        const matching = state.deployments
          .filter(
            (deployment) =>
              (sha === undefined || deployment.sha === sha) &&
              (ref === undefined || deployment.ref === ref) &&
              (task === undefined || deployment.task === task) &&
              (environment === undefined || deployment.environment === environment),
          )
          .sort((a, b) => b.id - a.id);
        return listReply(model, request, matching, (deployment) => deploymentJson(model, deployment));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/deployments',
      docs: DOCS.create,
      handler: async ({ body: rawBody, token }) => {
        const body = requireObjectBody(rawBody, DOCS.create);
        const ref = requiredString(body, 'ref', DOCS.create);
        const task = optionalString(body, 'task', DOCS.create) ?? 'deploy';
        const autoMerge = optionalBoolean(body, 'auto_merge', DOCS.create) ?? true;
        const requiredContexts = optionalStringArray(body, 'required_contexts', DOCS.create);
        const environment = optionalString(body, 'environment', DOCS.create) ?? 'production';
        const description = optionalString(body, 'description', DOCS.create, true);
        const transient = optionalBoolean(body, 'transient_environment', DOCS.create) ?? false;
        const production = optionalBoolean(body, 'production_environment', DOCS.create) ?? environment === 'production';
        const payload = body.payload ?? {};
        if (!isObject(payload) && typeof payload !== 'string') {
          throw invalidRequest(`For 'payload', ${JSON.stringify(payload)} is not an object or string.`, DOCS.create);
        }

        const resolved = await resolveDeployRef(model, ref);
        if (!resolved) throw unprocessable(`No ref found for: ${ref}`, DOCS.create);

        const defaultBranch = await model.git.defaultBranch();
        if (autoMerge && resolved.kind === 'branch' && ref !== defaultBranch) {
          const base = await model.git.readRef(`refs/heads/${defaultBranch}`);
          if (base && base.sha !== resolved.sha && !(await model.git.isAncestor(base.sha, resolved.sha))) {
            const merged = await model.git.mergeIntoBranch(`refs/heads/${ref}`, resolved.sha, base.sha, `Merge ${defaultBranch} into ${ref}`);
            if (!merged) throw new ApiError(409, `Conflict merging ${defaultBranch} into ${ref}.`, DOCS.create);
            return json(202, { message: `Auto-merged ${defaultBranch} into ${ref} on deployment.` });
          }
        }

        // Commit statuses are not simulated: the commit has none, so no required context can pass.
        if (requiredContexts && requiredContexts.length > 0) {
          throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, DOCS.create, [
            {
              resource: 'Deployment',
              code: 'invalid',
              field: 'required_contexts',
              value: requiredContexts.map((context) => ({ context, state: 'missing' })),
            },
          ]);
        }

        const deployment = addDeployment(model, {
          sha: resolved.sha,
          ref,
          task,
          payload: payload as DeploymentRecord['payload'],
          environment,
          description: description === undefined ? '' : description,
          creator: actorOf(model, token),
          transient_environment: transient,
          production_environment: production,
        });
        const { id } = deployment;
        return json(201, deploymentJson(model, deployment), { location: deploymentUrl(model, id) });
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/deployments/:deployment_id',
      docs: DOCS.get,
      handler: ({ params }) => json(200, deploymentJson(model, find(params.deployment_id, DOCS.get))),
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/deployments/:deployment_id',
      docs: DOCS.delete,
      handler: ({ params }) => {
        const deployment = find(params.deployment_id, DOCS.delete);
        const onlyOne = state.deployments.length === 1;
        if (!onlyOne && latestState(deployment) !== 'inactive') {
          throw unprocessable('We cannot delete an active deployment unless it is the only deployment in a given environment.', DOCS.delete);
        }
        state.deployments.splice(state.deployments.indexOf(deployment), 1);
        // In place, so arrays tests hold on to stay current.
        for (let i = state.deploymentStatuses.length - 1; i >= 0; i -= 1) {
          if (state.deploymentStatuses[i]!.deployment_id === deployment.id) state.deploymentStatuses.splice(i, 1);
        }
        return json(204);
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/deployments/:deployment_id/statuses',
      docs: DOCS.listStatuses,
      handler: (request) => {
        const deployment = find(request.params.deployment_id, DOCS.listStatuses);
        return listReply(model, request, statusesOf(deployment), (status) => deploymentStatusJson(model, status));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/deployments/:deployment_id/statuses/:status_id',
      docs: DOCS.getStatus,
      handler: ({ params }) => {
        const deployment = find(params.deployment_id, DOCS.getStatus);
        const id = intParam(params.status_id);
        const status = statusesOf(deployment).find((candidate) => candidate.id === id);
        if (!status) throw notFound(DOCS.getStatus);
        return json(200, deploymentStatusJson(model, status));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/deployments/:deployment_id/statuses',
      docs: DOCS.createStatus,
      handler: ({ params, body: rawBody, token }) => {
        const deployment = find(params.deployment_id, DOCS.createStatus);
        const body = requireObjectBody(rawBody, DOCS.createStatus);
        if (body.state === undefined) throw invalidRequest(`"state" wasn't supplied.`, DOCS.createStatus);
        const stateValue = optionalEnum(body, 'state', DEPLOYMENT_STATES, DOCS.createStatus)!;
        const logUrl = optionalString(body, 'log_url', DOCS.createStatus);
        const targetUrl = optionalString(body, 'target_url', DOCS.createStatus);
        const description = optionalString(body, 'description', DOCS.createStatus) ?? '';
        const environmentUrl = optionalString(body, 'environment_url', DOCS.createStatus) ?? '';
        const environment = optionalString(body, 'environment', DOCS.createStatus);
        const autoInactive = optionalBoolean(body, 'auto_inactive', DOCS.createStatus) ?? true;
        if (description.length > MAX_STATUS_DESCRIPTION) {
          throw validationFailed(
            [
              {
                resource: 'DeploymentStatus',
                code: 'custom',
                field: 'description',
                message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
              },
            ],
            DOCS.createStatus,
          );
        }
        if (environment !== undefined && environment !== null) deployment.environment = environment;
        const status = addStatus(deployment, {
          state: stateValue,
          description,
          environment: deployment.environment,
          // log_url replaces target_url; setting either sets both.
          target_url: logUrl ?? targetUrl ?? '',
          log_url: logUrl ?? targetUrl ?? '',
          environment_url: environmentUrl,
          creator: actorOf(model, token),
        });
        if (stateValue === 'success' && autoInactive) markEarlierInactive(model, deployment);
        return json(201, deploymentStatusJson(model, status), {
          location: `${deploymentUrl(model, deployment.id)}/statuses/${status.id}`,
        });
      },
    },
  ];
}
