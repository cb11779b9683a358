// Tags through the API: the pre-deploy tag (immutable) and the known-good tag (moves on success).
import { apiError, call, statusOf, type GitHubClient, type Repo } from './client.ts';
import { createOnce, NO_RETRY } from './create-once.ts';

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
