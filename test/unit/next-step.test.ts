import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/core/next-step.ts';
import type { Failure } from '../../src/core/outcome.ts';

const failure: Failure = { kind: 'command-failed', exitCode: 1, signal: null, timedOut: false, timeoutMs: 60_000 };

describe('the next step after a verdict', () => {
  it('promotes a healthy version', () => {
    expect(nextStep({}, { dryRun: false, knownGoodSha: 'a'.repeat(40) })).toEqual({ kind: 'promote' });
    expect(nextStep({}, { dryRun: false, knownGoodSha: undefined })).toEqual({ kind: 'promote' });
  });

  it('rolls a failed version back to known-good, or opens the incident when there is none', () => {
    expect(nextStep({ failure }, { dryRun: false, knownGoodSha: 'a'.repeat(40) })).toEqual({ kind: 'roll-back', to: 'a'.repeat(40) });
    expect(nextStep({ failure }, { dryRun: false, knownGoodSha: undefined })).toEqual({ kind: 'open-incident' });
  });

  it('only reports a dry run, healthy or not', () => {
    expect(nextStep({}, { dryRun: true, knownGoodSha: 'a'.repeat(40) })).toEqual({ kind: 'report-dry-run' });
    expect(nextStep({ failure }, { dryRun: true, knownGoodSha: 'a'.repeat(40) })).toEqual({ kind: 'report-dry-run' });
  });
});
