// Rules between inputs: the timings that must fit in each other, the addresses checks may reach,
// and what each mode needs. They run on the inputs' values even when some inputs were refused.
import type { InputName } from '../action-io.ts';
import { warnOnlyProblem, type Check } from '../health/check-types.ts';
import type { Stage } from '../core/stages.ts';
import { refusedHost } from '../core/address-policy.ts';
import type { InputValues } from './input-fields.ts';

export type RefuseInput = (input: InputName, message: string) => void;

export function checkCrossInputRules(v: InputValues, refuse: RefuseInput): void {
  checkTimings(v, refuse);
  if (!v['health-allow-link-local']) checkAddresses(v, refuse);
  checkModeNeeds(v, refuse);
  checkSomeCheckRollsBack(v, refuse);
}

/** The checks of health-url and checks, each with its timeout (request-timeout unless its own). */
export function checksOf(v: InputValues): Check[] {
  const defaultTimeoutMs = v['request-timeout'].ms;
  return [...v['health-url'].withDefaultTimeout(defaultTimeoutMs), ...v.checks.withDefaultTimeout(defaultTimeoutMs)];
}

/** The stages, each watched by its own checks or the top-level ones; undefined: not staged. */
export function stagesOf(v: InputValues): Stage[] | undefined {
  if (!v.stages.given) return undefined;
  const topLevel = checksOf(v);
  return v.stages.withDefaultTimeout(v['request-timeout'].ms).map((s) => ({ name: s.name, command: s.command, windowMs: s.window.ms, checks: s.checks ?? topLevel }));
}

/** A round of checks must be able to finish before the next is due, and the window hold more than one. */
function checkTimings(v: InputValues, refuse: RefuseInput): void {
  checkStageTimings(v, refuse);
  const [window, interval, timeout] = [v['health-window'], v['health-interval'], v['request-timeout']];
  if (window.ms > 0 && interval.ms > window.ms) {
    refuse('health-interval', `${interval.text} is longer than health-window ${window.text}; the window would hold a single round`);
  }
  if (timeout.ms > interval.ms) {
    refuse('request-timeout', `${timeout.text} is longer than health-interval ${interval.text}; a round must be able to finish before the next one is due`);
  }
  const slowest = checksOf(v).find((check) => check.timeoutMs > interval.ms);
  if (slowest && v.checks.given) {
    refuse('checks', `check "${slowest.name}" has a timeout longer than health-interval ${interval.text}; a round must be able to finish before the next one is due`);
  }
}

/** Each stage's window and checks meet the rules of health-window and checks. */
function checkStageTimings(v: InputValues, refuse: RefuseInput): void {
  const interval = v['health-interval'];
  for (const stage of v.stages.withDefaultTimeout(v['request-timeout'].ms)) {
    if (stage.window.ms > 0 && interval.ms > stage.window.ms) {
      refuse('stages', `stage "${stage.name}": window ${stage.window.text} is shorter than health-interval ${interval.text}; the window would hold a single round`);
    }
    const slowest = stage.checks?.find((check) => check.timeoutMs > interval.ms);
    if (slowest) refuse('stages', `stage "${stage.name}": check "${slowest.name}" has a timeout longer than health-interval ${interval.text}; a round must be able to finish before the next one is due`);
  }
}

/** What a URL itself names; a host name that resolves to such an address is refused when probed. */
function checkAddresses(v: InputValues, refuse: RefuseInput): void {
  for (const input of ['health-url', 'checks'] as const) {
    for (const check of v[input].withDefaultTimeout(v['request-timeout'].ms)) {
      if (check.type !== 'http' && check.type !== 'prometheus') continue;
      const refused = refusedHost(new URL(check.url).hostname);
      const which = input === 'checks' ? `check "${check.name}": ` : '';
      if (refused) refuse(input, `${which}${refused}; set health-allow-link-local: true to check it`);
    }
  }
  for (const stage of v.stages.withDefaultTimeout(v['request-timeout'].ms)) {
    for (const check of stage.checks ?? []) {
      const refused = check.type === 'http' || check.type === 'prometheus' ? refusedHost(new URL(check.url).hostname) : undefined;
      if (refused) refuse('stages', `stage "${stage.name}", check "${check.name}": ${refused}; set health-allow-link-local: true to check it`);
    }
  }
}

function checkModeNeeds(v: InputValues, refuse: RefuseInput): void {
  const mode = v.mode;
  if (mode === 'deploy' && !v['deploy-command'] && !v.stages.given) {
    refuse('deploy-command', 'is required in deploy mode: the bash command that deploys the checked-out version');
  }
  if (mode === 'deploy' && v.stages.given) checkStagedDeploy(v, refuse);
  if (mode === 'rollback' && !v['deploy-command'] && !v['rollback-command']) {
    refuse('rollback-command', 'is required in rollback mode (or deploy-command): the bash command run in a checkout of the target');
  }
  if (mode === 'drill' && !v['deploy-command']) {
    refuse('deploy-command', 'is required in drill mode: the forward leg runs it in a checkout of known-good (and the back leg too, without rollback-command)');
  }
  if (mode === 'drill' && v['dry-run']) refuse('dry-run', 'is not used in drill mode: a drill really deploys, and never moves known-good anyway');
  if ((mode === 'deploy' || mode === 'rollback' || mode === 'mark-known-good' || mode === 'drill') && !v['health-url'].given && !v.checks.given) {
    const what = mode === 'mark-known-good' ? 'what runs is healthy' : `the ${mode} is healthy`;
    refuse('health-url', `${mode} mode needs health-url or checks: without a health check nothing can show ${what}`);
  }
  if (mode === 'rollback' && !v.reason) refuse('reason', 'is required in rollback mode: say why, it goes on the deployment and the incident');
  if ((mode === 'lock' || mode === 'unlock') && !v.reason) refuse('reason', `is required in ${mode} mode: say why, it goes on the lock issue`);
  if (v.sha && mode !== 'mark-known-good') refuse('sha', `is only used in mark-known-good mode (mode is ${mode}); a deploy deploys the checked-out commit`);
  if (v['require-proven-in'] && v['require-proven-in'].toLowerCase() === v.environment.toLowerCase()) {
    refuse('require-proven-in', `names the environment itself (${v.environment}); name the one a version must pass first, e.g. staging`);
  }
  if (mode === 'rollback') return;
  if (v['take-over']) refuse('take-over', `is only used in rollback mode (mode is ${mode})`);
  // Its default is medium: any other value was asked for, and a deploy's incident takes its severity from what happened.
  if (v.severity !== 'medium') refuse('severity', `is only used in rollback mode (mode is ${mode}); a deploy's incident takes its severity from what happened`);
  // force is reported only alone: beside rollback-to it adds nothing.
  if (v['rollback-to'] || v.force) refuse(v['rollback-to'] ? 'rollback-to' : 'force', `is only used in rollback mode (mode is ${mode})`);
}

/** The modes that watch a window need a check whose failure counts (health/check-types.ts). */
function checkSomeCheckRollsBack(v: InputValues, refuse: RefuseInput): void {
  if (v.mode !== 'deploy' && v.mode !== 'rollback' && v.mode !== 'mark-known-good') return;
  const problem = v.checks.given ? warnOnlyProblem(checksOf(v)) : undefined;
  if (problem) refuse('checks', problem);
}

/** Stages replace deploy-command, so the rollback has a command of its own. */
function checkStagedDeploy(v: InputValues, refuse: RefuseInput): void {
  if (v['deploy-command']) {
    refuse('stages', 'replaces deploy-command: each stage runs its own command; remove deploy-command (or stages, for a deploy in one step)');
  }
  if (!v['rollback-command']) {
    refuse('rollback-command', 'is required with stages: the bash command that puts the known-good version back everywhere (it is told the stage that failed in DEPLOY_GUARD_FAILED_STAGE)');
  }
  for (const stage of stagesOf(v) ?? []) {
    const problem = warnOnlyProblem(stage.checks);
    if (problem) refuse('stages', `stage "${stage.name}": ${problem}`);
  }
}
