// Tag: which version is known-good (and the tag caught up with it), the immutable pre-deploy tag,
// and moving known-good to a version that passed its window.
import type { RunDeps } from '../deps.ts';
import { chooseKnownGood, tagBehindNote, type ProvenDeployment } from '../core/known-good.ts';
import { knownGoodRef, preDeployRef, shortSha } from '../core/tag-names.ts';
import type { Repo } from '../github/client.ts';
import { TagWriter } from '../github/tags.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';

export class Tags {
  readonly knownGoodRef: string;
  private readonly writer: TagWriter;

  constructor(
    private readonly deps: Pick<RunDeps, 'gh' | 'log'>,
    private readonly repo: Repo,
    private readonly settings: Pick<Settings, 'tagPrefix' | 'environment'>,
  ) {
    this.knownGoodRef = knownGoodRef(settings.tagPrefix, settings.environment);
    this.writer = new TagWriter(deps.gh, repo, deps.log);
  }

  /**
   * The known-good version: the newest deployment that passed its window (`proven`), else the tag.
   * A tag that lags behind the deployments is moved up to them. `tagSha`: where the tag points (read by the claim).
   */
  async knownGood(proven: ProvenDeployment | undefined, tagSha: string | undefined): Promise<string | undefined> {
    const known = chooseKnownGood(tagSha, proven);
    if (known.tagBehind && known.sha) {
      this.deps.log.info(tagBehindNote(this.knownGoodRef, tagSha, known));
      await this.writer.move(this.knownGoodRef, known.sha);
    }
    return known.sha;
  }

  /** Tags `sha` as this run's pre-deploy version; the deployment records it if GitHub refuses the tag. */
  async tagPreDeploy(context: Pick<RunContext, 'runId' | 'runAttempt'>, sha: string, deploymentId: number): Promise<void> {
    const tag = preDeployRef(this.settings.tagPrefix, this.settings.environment, context.runId, context.runAttempt);
    if (await this.writer.createImmutable(tag, sha)) this.deps.log.info(`Tagged ${shortSha(sha)} as ${tag}.`);
    else this.deps.log.info(`Not tagged as ${tag}; deployment ${deploymentId} records ${sha}.`);
  }

  /** Moves known-good to `sha`; false (with a warning) when GitHub would not (the deployment still records it). */
  promote(sha: string): Promise<boolean> {
    return this.writer.move(this.knownGoodRef, sha);
  }
}
