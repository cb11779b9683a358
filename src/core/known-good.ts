// Which version is known-good. deploy-guard's own deployments are the record: the newest one that
// passed a whole health window names it. The known-good tag is the pointer people and git see;
// GitHub may refuse to move it (a commit that changes workflow files needs the workflows
// permission, which GITHUB_TOKEN never has), so it can lag behind, and then catches up.

export interface ProvenDeployment {
  id: number;
  sha: string;
}

export interface KnownGood {
  sha: string | undefined;
  /** What named it: a deployment that passed its window, or (with none in sight) the tag alone. */
  source: 'deployment' | 'tag' | 'none';
  /** The tag is missing or points at an older version than the deployments prove: move it. */
  tagBehind: boolean;
  /** The deployment that proved it, when `source` is 'deployment'. */
  provenBy?: number;
}

export function chooseKnownGood(tagSha: string | undefined, proven: ProvenDeployment | undefined): KnownGood {
  if (proven) return { sha: proven.sha, source: 'deployment', tagBehind: tagSha !== proven.sha, provenBy: proven.id };
  if (tagSha) return { sha: tagSha, source: 'tag', tagBehind: false };
  return { sha: undefined, source: 'none', tagBehind: false };
}

/** What the log says when the tag lags behind the deployments. */
export function tagBehindNote(ref: string, tagSha: string | undefined, known: KnownGood): string {
  const short = (sha: string) => sha.slice(0, 7);
  return (
    `${ref} ${tagSha ? `points at ${short(tagSha)}` : 'does not exist'}, but deployment ${known.provenBy} of ${short(known.sha!)} ` +
    `passed its health window since (the tag could not be written then): ${short(known.sha!)} is known-good.`
  );
}
