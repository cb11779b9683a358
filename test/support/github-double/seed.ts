// Bulk history written straight into the double's in-memory state, without HTTP: thousands of
// deployments or issues in milliseconds (e.g. for a benchmark). Ids and issue numbers continue
// the double's own sequences, so records created through the API afterwards follow them.
import { isoSeconds, nodeId } from './ids.ts';
import { nextIssueNumber, type RepoModel } from './model.ts';
import { addDeployment } from './routes/deployments.ts';
import { ensureLabels } from './routes/labels.ts';
import type { DeploymentRecord, DeploymentState, DeploymentStatusRecord, IssueRecord, IssueStateReason } from './types.ts';

export interface SeedDeployment {
  sha: string;
  /** Default 'production'. */
  environment?: string;
  /** Default `sha`. */
  ref?: string;
  description?: string;
  /** Default 'deploy' (GitHub's default, and what a job's environment deployment has). */
  task?: string;
  /** Login of the creator. Default: the token's identity (the bot). */
  creator?: string;
  payload?: Record<string, unknown> | string;
  /** Epoch ms of created_at. Default: the double's clock. */
  at?: number;
  /** Created in this order (the last is the latest). No auto-inactive: give every state you want. */
  statuses?: Array<{ state: DeploymentState; description?: string; at?: number }>;
}

export interface SeedIssue {
  title: string;
  body?: string;
  /** Label names; missing labels are created as GitHub does when an issue names them. */
  labels?: string[];
  /** Author login. Default: the token's identity (the bot). */
  user?: string;
  /** Default 'open'. */
  state?: 'open' | 'closed';
  stateReason?: IssueStateReason;
  /** Login of whoever closed it. Default 'octo-maintainer'. */
  closedBy?: string;
  /** Epoch ms of created_at. Default: the double's clock. */
  at?: number;
  /** Epoch ms of closed_at (and updated_at). Default `at`. */
  closedAt?: number;
}

export function seedDeployments(model: RepoModel, items: readonly SeedDeployment[]): DeploymentRecord[] {
  const clock = (at: number | undefined): string => (at === undefined ? model.now() : isoSeconds(at));
  return items.map((item) => {
    const environment = item.environment ?? 'production';
    const deployment = addDeployment(
      model,
      {
        sha: item.sha,
        ref: item.ref ?? item.sha,
        task: item.task ?? 'deploy',
        payload: item.payload ?? {},
        environment,
        description: item.description ?? '',
        creator: item.creator ?? model.users.botLogin,
        transient_environment: false,
        production_environment: environment === 'production',
      },
      clock(item.at),
    );
    const { id } = deployment;
    for (const status of item.statuses ?? []) {
      const statusId = model.ids.take('deploymentStatus');
      const at = clock(status.at ?? item.at);
      const record: DeploymentStatusRecord = {
        id: statusId,
        node_id: nodeId('DES', statusId),
        deployment_id: id,
        state: status.state,
        description: status.description ?? '',
        environment,
        target_url: '',
        log_url: '',
        environment_url: '',
        creator: model.users.botLogin,
        created_at: at,
        updated_at: at,
      };
      model.state.deploymentStatuses.push(record);
      deployment.updated_at = at;
    }
    return deployment;
  });
}

export function seedIssues(model: RepoModel, items: readonly SeedIssue[]): IssueRecord[] {
  let number = nextIssueNumber(model) - 1; // counted here: 10,000 seeded issues must not rescan the list each
  return items.map((item) => {
    const id = model.ids.take('issue');
    number += 1;
    const created = item.at === undefined ? model.now() : isoSeconds(item.at);
    const closed = item.state === 'closed';
    const closedAt = closed ? (item.closedAt === undefined ? created : isoSeconds(item.closedAt)) : null;
    const issue: IssueRecord = {
      id,
      node_id: nodeId('I', id),
      number,
      title: item.title,
      body: item.body ?? null,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? (item.stateReason ?? 'completed') : null,
      labels: ensureLabels(model, item.labels ?? []).map((label) => label.name),
      assignees: [],
      user: item.user ?? model.users.botLogin,
      locked: false,
      comments: 0,
      created_at: created,
      updated_at: closedAt ?? created,
      closed_at: closedAt,
      closed_by: closed ? (item.closedBy ?? 'octo-maintainer') : null,
    };
    model.state.issues.push(issue);
    return issue;
  });
}
