// What a rollback drill goes back to. A drill proves the rollback path before it is needed: it puts
// the previous proven version out with the rollback command, then known-good again with the deploy
// command (modes/drill.ts). Pure: deploy-guard's earlier deployments of the environment (newest
// first, with the known-good tag) come in.
import { judgeEarlier, passedWindow, type EarlierDeployment, type LockLimits } from './deploy-lock.ts';
import { chooseKnownGood } from './known-good.ts';
import { shortSha } from './tag-names.ts';

/** How many of deploy-guard's newest deployments of the environment are looked through for the drill's target (one GraphQL page, usually). */
export const DRILL_LOOKBACK = 50;

export type DrillTarget =
  | {
      kind: 'drill';
      /** The version the environment runs and ends on: never moved by the drill. */
      knownGoodSha: string;
      /** The previous proven version: the newest deployment that passed its window with another version than known-good. */
      back: { sha: string; provenBy: number };
    }
  /** Nothing to drill: why, in a sentence. */
  | { kind: 'none'; reason: string };

/**
 * The drill's target. Known-good as everywhere else (core/known-good.ts: the newest deployment that
 * passed its window, else the tag); the previous proven version: the newest deployment that passed
 * its window (neither a dry run nor a drill's leg) of another version.
 */
export function chooseDrillTarget(environment: string, tagSha: string | undefined, newestFirst: readonly EarlierDeployment[]): DrillTarget {
  const proven = newestFirst.filter(passedWindow);
  const knownGood = chooseKnownGood(tagSha, proven[0]).sha;
  if (!knownGood) return { kind: 'none', reason: `${environment} has no known-good version yet, so there is nothing to drill.` };
  const previous = proven.find((d) => d.sha !== knownGood);
  if (!previous) {
    return {
      kind: 'none',
      reason:
        `no version other than known-good ${shortSha(knownGood)} passed a health window in ${environment} ` +
        `(among deploy-guard's ${DRILL_LOOKBACK} newest deployments there), so there is no previous proven version to roll back to.`,
    };
  }
  return { kind: 'drill', knownGoodSha: knownGood, back: { sha: previous.sha, provenBy: previous.id } };
}

/**
 * The deployment that holds the environment now (a deploy or rollback still running), if any, as
 * the claim would find it (core/deploy-lock.ts): read before anything is written, so that a drill
 * is refused without a deployment of its own in the common case. The claim still decides.
 */
export function holderNow(
  newestFirst: readonly EarlierDeployment[],
  limits: LockLimits,
  now: number,
): { kind: 'held'; holder: EarlierDeployment; ageMs: number; abandonAfterMs: number } | undefined {
  for (const earlier of newestFirst) {
    const verdict = judgeEarlier(earlier, limits, now);
    if (verdict.kind === 'held') return { kind: 'held', holder: earlier, ageMs: verdict.ageMs, abandonAfterMs: verdict.abandonAfterMs };
    if (verdict.kind === 'settled') return undefined;
  }
  return undefined;
}
