// Tags through the API: the pre-deploy tag (immutable) and the known-good tag (moves on success).
import { apiError, call, statusOf, type GitHubClient, type Repo } from './client.ts';
import { createOnce, NO_RETRY } from './create-once.ts';
import { workflowsRefusalText } from '../report/permission-text.ts';
import { workflowsMayDiffer } from './commits.ts';
import type { Log } from '../log.ts';

export async function readTag(gh: GitHubClient, repo: Repo, ref: string): Promise<string | undefined> {
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repo, ref });
    if (data.object.type === 'tag') {
      const tag = await call(`GET /git/tags/${data.object.sha}`, () => gh.request('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', { ...repo, tag_sha: data.object.sha }));
      return tag.data.object.sha;
    }
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw apiError(`GET /git/ref/${ref}`, error);
  }
}

/**
 * Creates `ref` on `sha`. If it already exists on the same commit (the same step run again) that
 * is fine; on another commit it is refused, because these tags are never moved.
 */
export async function createImmutableTag(gh: GitHubClient, repo: Repo, ref: string, sha: string): Promise<void> {
  try {
    await createOnce(
      'POST /git/refs',
      async () => {
        await gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: `refs/${ref}`, sha, ...NO_RETRY });
        return true;
      },
      async () => ((await readTag(gh, repo, ref)) === sha ? true : undefined),
    );
  } catch (wrapped) {
    const error = (wrapped as Error).cause ?? wrapped;
    if (statusOf(error) !== 422) throw apiError('POST /git/refs', error);
    const existing = await readTag(gh, repo, ref);
    if (existing === sha) return;
    if (existing) throw new Error(`Tag ${ref} already exists on ${existing}, not on ${sha}; pre-deploy tags are never moved`);
    throw apiError('POST /git/refs', error);
  }
}

/** Points `ref` at `sha`, creating it if absent. */
export async function moveTag(gh: GitHubClient, repo: Repo, ref: string, sha: string): Promise<void> {
  try {
    await gh.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref, sha, force: true });
  } catch (error) {
    if (statusOf(error) !== 422 && statusOf(error) !== 404) throw apiError(`PATCH /git/refs/${ref}`, error);
    await call('POST /git/refs', () => gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: `refs/${ref}`, sha }));
  }
}

/**
 * GitHub refused a ref write because the commit's .github/workflows differ from the default branch
 * and the token has no workflows permission: 403, naming workflows=write among the permissions it
 * would accept (or, from git, a message about workflow files).
 */
export function refusedForWorkflows(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const err = e as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> } };
    if (err.status !== 403) continue;
    const accepted = err.response?.headers?.['x-accepted-github-permissions'] ?? '';
    if (/workflows=write/.test(accepted) || /workflow/i.test(err.message ?? '')) return true;
  }
  return false;
}

/**
 * The run's tag writes that must not stop a deploy: a pre-deploy tag GitHub refuses for want of the
 * workflows permission is skipped, and a known-good move that fails for any reason is left to catch
 * up later (the success deployment records the version). The workflows warning is given once a run.
 */
export class TagWriter {
  private warned = false;

  constructor(
    private readonly gh: GitHubClient,
    private readonly repo: Repo,
    private readonly log: Log,
  ) {}

  /**
   * Creates a pre-deploy tag; false when GitHub refused it for want of the workflows permission.
   * Any other failure (a token without contents: write among them) stops the run before it deploys.
   */
  async createImmutable(ref: string, sha: string): Promise<boolean> {
    try {
      await createImmutableTag(this.gh, this.repo, ref, sha);
      return true;
    } catch (error) {
      if (!(await this.isWorkflowsRefusal(error, sha))) throw error;
      this.warnWorkflows(ref, sha);
      return false;
    }
  }

  /** Moves `ref` to `sha`; false (with a warning) when it could not. */
  async move(ref: string, sha: string): Promise<boolean> {
    try {
      await moveTag(this.gh, this.repo, ref, sha);
      return true;
    } catch (error) {
      if (await this.isWorkflowsRefusal(error, sha)) this.warnWorkflows(ref, sha);
      else this.log.warning(`Could not move ${ref} to ${sha}: ${(error as Error).message}. deploy-guard's deployments record the version; the tag catches up on the next run.`);
      return false;
    }
  }

  /** A 403 naming workflows=write, for a commit whose workflows do differ (or when that cannot be read). */
  private async isWorkflowsRefusal(error: unknown, sha: string): Promise<boolean> {
    if (!refusedForWorkflows(error)) return false;
    return workflowsMayDiffer(this.gh, this.repo, sha).catch(() => true);
  }

  private warnWorkflows(ref: string, sha: string): void {
    if (this.warned) {
      this.log.info(`GitHub refused ${ref} on ${sha} too, for the same reason (workflows permission).`);
      return;
    }
    this.warned = true;
    this.log.warning(workflowsRefusalText(ref, sha), 'deploy-guard: the token lacks the workflows permission');
  }
}
