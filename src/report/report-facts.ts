// What the reports (incident issue, job summary, notifications) are written from: plain data
// gathered by the modes, so that the text is a pure function of it.
import type { Failure } from '../core/outcome.ts';
import type { CheckWarning } from '../core/warnings.ts';
import type { Round } from '../core/verdict.ts';
import type { Timeline } from '../core/timeline.ts';
import type { RollbackJournal } from '../core/rollback-retry.ts';

export interface CommitLine {
  sha: string;
  /** First line of the message. */
  title: string;
  author: string;
}

/** The commits from the known-good version to the failed one (GitHub's compare API). */
export interface CommitRange {
  /** How many commits the range holds in all. */
  total: number;
  /** The first ones, oldest first (at most 20). */
  shown: CommitLine[];
  /** https://github.com/<owner>/<repo>/compare/<base>...<head> */
  compareUrl: string;
}

export interface Links {
  /** https://github.com/<owner>/<repo> */
  repoUrl: string;
  /** The workflow run. */
  runUrl: string;
}

export interface IncidentFacts {
  environment: string;
  failedSha: string;
  deploymentId: number;
  failure: Failure;
  links: Links;
  /** The failed deploy's moments. */
  timeline: Timeline;
  /** Undefined when it could not be read (the incident says so) or there is no known-good. */
  commits?: CommitRange;
  /** The warn-only checks that failed in the deploy's health window. */
  warnings?: CheckWarning[];
  /** Absent when there was no known-good version to go back to. */
  rollback?: {
    sha: string;
    deploymentId?: number;
    /** Absent when the rollback deployed and stayed healthy. */
    failure?: Failure;
    /** The rollback's health rounds. */
    rounds?: Round[];
    /** The rollback's moments; absent when it never started (its checkout failed). */
    timeline?: Timeline;
    /** Its attempts and maintenance hooks (rollback-attempts, before- and after-rollback-command). */
    journal?: RollbackJournal;
  };
}
