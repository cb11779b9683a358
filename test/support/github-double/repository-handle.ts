// What a test does to one repository of the double, as a person would in the UI (close, reopen,
// relabel, edit, delete issues; set roles), plus bulk seeding and a job's environment deployment.
// The double's first repository and any added with `addRepository` each get one.
import type { CollaboratorBook } from './collaborators.ts';
import type { RepoModel } from './model.ts';
import { startJobDeployment } from './routes/deployments.ts';
import { setIssueLabels } from './routes/issue-events.ts';
import { closeIssueRecord, reopenIssueRecord } from './routes/issues.ts';
import { seedDeployments, seedIssues } from './seed.ts';
import type { CloseIssueOptions, CollaboratorRole, CustomRole, GitHubDouble, IssueRecord } from './types.ts';

/** Who closes, reopens and relabels issues in the UI helpers unless a test names someone else. */
export const DEFAULT_MAINTAINER = 'octo-maintainer';

export type RepositoryHandle = Pick<
  GitHubDouble,
  'owner' | 'repo' | 'state' | 'closeIssue' | 'reopenIssue' | 'removeIssueLabel' | 'editIssueBody' | 'deleteIssue' | 'setCollaborator' | 'seed' | 'startJobDeployment' | 'setWorkflowsPermission'
>;

export function repositoryHandle(model: RepoModel, collaborators: CollaboratorBook): RepositoryHandle {
  const { owner, repo } = model;
  const issue = (issueNumber: number): IssueRecord => {
    const found = model.state.issues.find((candidate) => candidate.number === issueNumber);
    if (!found) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
    return found;
  };
  return {
    owner,
    repo,
    state: model.state,
    closeIssue(issueNumber: number, options: CloseIssueOptions = {}) {
      closeIssueRecord(model, issue(issueNumber), options.by ?? DEFAULT_MAINTAINER, options.reason ?? 'completed');
    },
    reopenIssue(issueNumber: number, options: { by?: string } = {}) {
      reopenIssueRecord(model, issue(issueNumber), options.by ?? DEFAULT_MAINTAINER);
    },
    removeIssueLabel(issueNumber: number, label: string, options: { by?: string } = {}) {
      const found = issue(issueNumber);
      const name = found.labels.find((candidate) => candidate.toLowerCase() === label.toLowerCase());
      if (!name) throw new Error(`GitHub double: issue #${issueNumber} has no label ${label}`);
      setIssueLabels(model, found, found.labels.filter((candidate) => candidate !== name), options.by ?? DEFAULT_MAINTAINER);
    },
    deleteIssue(issueNumber: number) {
      const index = model.state.issues.indexOf(issue(issueNumber));
      model.state.issues.splice(index, 1);
      model.deletedIssues.add(issueNumber);
    },
    editIssueBody(issueNumber: number, body: string) {
      const found = issue(issueNumber);
      found.body = body;
      found.updated_at = model.now();
    },
    setCollaborator(login: string, role: CollaboratorRole | CustomRole | null) {
      collaborators.set(login, role);
    },
    seed: {
      deployments: (items) => seedDeployments(model, items),
      issues: (items) => seedIssues(model, items),
    },
    startJobDeployment: (input) => startJobDeployment(model, input),
    setWorkflowsPermission(allowed: boolean) {
      model.workflowsPermission = allowed;
    },
  };
}
