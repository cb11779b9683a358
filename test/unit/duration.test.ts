import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    [' 10s ', 10_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '10', '5 m', '1d', '-1s', 's', '1m30s'])('refuses %j with an example of the format', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/500ms, 30s, 5m or 1h/);
  });

  it('refuses zero', () => {
    expect(parseDuration('0s')).toEqual({ ok: false, error: '"0s" must be longer than zero' });
  });
});

describe('formatDuration', () => {
  it.each([
    [500, '500ms'],
    [1_500, '1.5s'],
    [1_250, '1.25s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
