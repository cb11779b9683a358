// Rules between inputs: the timings that must fit in each other, the addresses checks may reach,
// and what each mode needs. They run on the inputs' values even when some inputs were refused.
import type { InputName } from '../action-io.ts';
import { warnOnlyProblem, type Check } from '../health/check-types.ts';
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

/** A round of checks must be able to finish before the next is due, and the window hold more than one. */
function checkTimings(v: InputValues, refuse: RefuseInput): void {
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
}

function checkModeNeeds(v: InputValues, refuse: RefuseInput): void {
  const mode = v.mode;
  if (mode === 'deploy' && !v['deploy-command']) {
    refuse('deploy-command', 'is required in deploy mode: the bash command that deploys the checked-out version');
  }
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
