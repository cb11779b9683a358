import { describe, expect, it } from 'vitest';
import { atLeast, severityInBody, severityMarker, severityOf } from '../../src/core/severity.ts';

describe('incident severity', () => {
  it('is highest when nothing known-good serves, lower once rolled back healthy, and chosen for a manual rollback', () => {
    expect(severityOf({ kind: 'rollback-failed' })).toBe('critical');
    expect(severityOf({ kind: 'no-rollback-target' })).toBe('critical');
    expect(severityOf({ kind: 'rolled-back' })).toBe('high');
    expect(severityOf({ kind: 'stopped', rollbackResult: undefined })).toBe('critical');
    expect(severityOf({ kind: 'stopped', rollbackResult: 'healthy' })).toBe('high');
    expect(severityOf({ kind: 'manual-rollback', chosen: 'low', failed: false })).toBe('low');
    expect(severityOf({ kind: 'manual-rollback', chosen: undefined, failed: false })).toBe('medium');
    expect(severityOf({ kind: 'manual-rollback', chosen: 'low', failed: true })).toBe('critical');
  });

  it('is read back from deploy-guard’s marker, and a missing or forged one counts as critical', () => {
    expect(severityInBody(`text\n${severityMarker('medium')}`)).toBe('medium');
    expect(severityInBody('no marker')).toBe('critical');
    expect(severityInBody('<!-- deploy-guard:severity=trivial -->')).toBe('critical');
    expect(atLeast('high', 'medium')).toBe(true);
    expect(atLeast('low', 'medium')).toBe(false);
  });
});
