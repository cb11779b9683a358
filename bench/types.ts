// What every measurement gets and gives back.

export interface BenchContext {
  /** Fewer trials, for a smoke run. */
  quick: boolean;
  /** The repository's root (for tsx, node_modules and src). */
  repoRoot: string;
  /** A snapshot of dist/ (index.js, post.js, chunks) taken when the bench started, with action.yml beside it. */
  distDir: string;
  /** The snapshot's files, relative to distDir, with their sizes. */
  distFiles: Array<{ path: string; bytes: number }>;
  /** The node the action runs under (action.yml says node24: node_modules/node, else this process's node). */
  node: string;
  /** Progress for the person watching (stderr). */
  log(message: string): void;
}

export type Status = 'PASS' | 'MISS';

/** One goal of the issue, judged. */
export interface GoalResult {
  /** e.g. '1a' */
  id: string;
  goal: string;
  target: string;
  /** Human-readable measured value. */
  measured: string;
  /** The number the goal is judged on, in `unit`; null when it could not be measured. */
  value: number | null;
  unit: string;
  status: Status;
  /** Why it is a MISS without a number (an error), or a caveat. */
  note?: string;
}

/** A goal before it is judged: what is aimed at. */
export interface GoalSpec {
  id: string;
  goal: string;
  target: string;
  unit: string;
}

export interface MeasurementOutput {
  goals: GoalResult[];
  /** Markdown with the detail behind the numbers (tables, breakdowns). */
  details?: string;
  /** Raw samples and counts for results.json. */
  data?: unknown;
}

export interface Measurement {
  /** For --only. */
  name: string;
  title: string;
  /** Every goal this measurement judges, so a crash still yields a MISS row for each. */
  goals: GoalSpec[];
  /** How it is measured, one paragraph of markdown. */
  method: string;
  run(ctx: BenchContext): Promise<MeasurementOutput>;
}

export function judged(spec: GoalSpec, value: number | null, pass: boolean, measured: string, note?: string): GoalResult {
  return { ...spec, value, measured, status: value !== null && pass ? 'PASS' : 'MISS', ...(note ? { note } : {}) };
}

export function missed(spec: GoalSpec, reason: string): GoalResult {
  return { ...spec, value: null, measured: 'not measured', status: 'MISS', note: reason };
}
