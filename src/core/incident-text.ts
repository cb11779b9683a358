// The incident issue's title and body: what failed, what was put back, and how to unblock.
import { incidentMarker } from './gate-decision.ts';
import { describeFailure, type Failure } from './outcome.ts';
import { shortSha } from './tag-names.ts';
import type { Round } from './verdict.ts';

export interface IncidentFacts {
  environment: string;
  failedSha: string;
  deploymentId: number;
  failure: Failure;
  runUrl: string;
  /** Absent when there was no known-good version to go back to. */
  rollback?: {
    sha: string;
    deploymentId?: number;
    /** Absent when the rollback deployed and stayed healthy. */
    failure?: Failure;
  };
}

export interface IncidentText {
  title: string;
  body: string;
}

const ROUNDS_SHOWN = 5;

export function incidentText(facts: IncidentFacts): IncidentText {
  const env = facts.environment;
  const failed = shortSha(facts.failedSha);
  const title = !facts.rollback
    ? `Deploy of ${failed} to ${env} failed and there is no known-good version to roll back to`
    : facts.rollback.failure
      ? `Deploy of ${failed} to ${env} failed and the rollback to ${shortSha(facts.rollback.sha)} failed too`
      : `Deploy of ${failed} to ${env} failed; rolled back to ${shortSha(facts.rollback.sha)}`;

  const lines: string[] = [
    incidentMarker(env),
    `## What failed`,
    ``,
    `Deploying \`${facts.failedSha}\` to **${env}** (deployment ${facts.deploymentId}) failed: ${describeFailure(facts.failure)}.`,
    ...roundsTable(facts.failure),
    ``,
    `## What was done`,
    ``,
  ];
  if (!facts.rollback) {
    lines.push(
      `There is no known-good version of ${env} yet (no deploy has stayed healthy for a whole health window), so nothing was rolled back. **${env} may be serving the failed version.**`,
    );
  } else if (!facts.rollback.failure) {
    lines.push(
      `Rolled back to the known-good version \`${facts.rollback.sha}\` (deployment ${facts.rollback.deploymentId}); it deployed and stayed healthy for its health window.`,
    );
  } else {
    lines.push(
      `Tried to roll back to the known-good version \`${facts.rollback.sha}\`${facts.rollback.deploymentId ? ` (deployment ${facts.rollback.deploymentId})` : ''}, but the rollback failed: ${describeFailure(facts.rollback.failure)}. **${env} needs a person now.**`,
      ...roundsTable(facts.rollback.failure),
    );
  }
  lines.push(
    ``,
    `Run log: ${facts.runUrl}`,
    ``,
    `## How to unblock`,
    ``,
    `deploy-guard refuses further deploys to **${env}** while this issue is open. Find the cause, then close this issue: closing it unblocks deploys to ${env}.`,
  );
  return { title, body: lines.join('\n') };
}

function roundsTable(failure: Failure): string[] {
  if (failure.kind !== 'unhealthy' || failure.rounds.length === 0) return [];
  const shown = failure.rounds.slice(-ROUNDS_SHOWN);
  const rows = shown.flatMap((round) =>
    round.samples.map(
      (s) =>
        `| ${round.index + 1} | +${(round.at / 1000).toFixed(1)}s | ${s.check} | ${s.outcome} | ${s.value ?? ''} | ${s.latencyMs}ms | ${escapeCell(s.detail)} |`,
    ),
  );
  return [
    ``,
    `Last ${shown.length} of ${failure.rounds.length} health rounds:`,
    ``,
    `| Round | Time | Check | Outcome | Value | Latency | Detail |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...rows,
  ];
}

export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 200);
}

export interface ManualRollbackFacts {
  environment: string;
  sha: string;
  deploymentId: number;
  actor: string;
  reason: string;
  runUrl: string;
  /** Absent when the rollback deployed and stayed healthy. */
  failure?: Failure;
}

/** The record of a rollback a person asked for. */
export function manualRollbackText(facts: ManualRollbackFacts): IncidentText {
  const env = facts.environment;
  const target = shortSha(facts.sha);
  const title = facts.failure
    ? `Manual rollback of ${env} to ${target} by @${facts.actor} failed`
    : `Manual rollback of ${env} to ${target} by @${facts.actor}`;
  const lines = [
    incidentMarker(env),
    `## Manual rollback`,
    ``,
    `@${facts.actor} rolled **${env}** back to \`${facts.sha}\` (deployment ${facts.deploymentId}).`,
    ``,
    `Reason: ${facts.reason}`,
    ``,
    facts.failure
      ? `The rollback failed: ${describeFailure(facts.failure)}. **${env} needs a person now.**`
      : `It deployed and stayed healthy for its health window; it is now the known-good version.`,
    ...(facts.failure ? roundsTable(facts.failure) : []),
    ``,
    `Run log: ${facts.runUrl}`,
    ``,
    `## How to unblock`,
    ``,
    `deploy-guard refuses further deploys to **${env}** while this issue is open. Closing it unblocks deploys to ${env}.`,
  ];
  return { title, body: lines.join('\n') };
}
