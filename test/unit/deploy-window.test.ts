import { describe, expect, it } from 'vitest';
import { formatLocal, isTimeZone, judgeSchedule, parseFreezes, parseWindows, type DeploySchedule } from '../../src/core/deploy-window.ts';

function schedule(windows: string, freezes = '', timeZone = 'Europe/Berlin'): DeploySchedule {
  const w = parseWindows(windows);
  const f = parseFreezes(freezes);
  if ('error' in w) throw new Error(w.error);
  if ('error' in f) throw new Error(f.error);
  return { timeZone, windows: w.windows, freezes: f.freezes };
}

const utc = (iso: string) => Date.parse(`${iso}Z`);

describe('deploy windows', () => {
  const office = schedule('Mon-Fri 09:00-17:00');

  it('is open inside the hours, in the named time zone (Berlin is UTC+1 in December)', () => {
    expect(judgeSchedule(office, utc('2026-12-02T08:00:00'))).toEqual({ open: true }); // Wed 09:00 Berlin
    expect(judgeSchedule(office, utc('2026-12-02T15:59:00'))).toEqual({ open: true }); // 16:59
    expect(judgeSchedule(office, utc('2026-12-02T16:00:00'))).toMatchObject({ open: false, why: 'outside-window', nextOpening: utc('2026-12-03T08:00:00') });
  });

  it('at the weekend, names Monday morning as the next opening', () => {
    const verdict = judgeSchedule(office, utc('2026-12-05T12:00:00')); // Saturday
    expect(verdict).toMatchObject({ open: false, why: 'outside-window', nextOpening: utc('2026-12-07T08:00:00') });
    expect(formatLocal(utc('2026-12-07T08:00:00'), 'Europe/Berlin')).toBe('Mon 2026-12-07 09:00 Europe/Berlin (08:00 UTC)');
  });

  it('a window that crosses midnight is open after midnight on the next day, and only then', () => {
    const night = schedule('Fri 22:00-02:00');
    expect(judgeSchedule(night, utc('2026-12-04T21:30:00'))).toEqual({ open: true }); // Fri 22:30
    expect(judgeSchedule(night, utc('2026-12-05T00:59:00'))).toEqual({ open: true }); // Sat 01:59
    expect(judgeSchedule(night, utc('2026-12-05T01:00:00'))).toMatchObject({ open: false, nextOpening: utc('2026-12-11T21:00:00') }); // Sat 02:00
    expect(judgeSchedule(night, utc('2026-12-03T23:30:00'))).toMatchObject({ open: false }); // Fri 00:30: Thursday is not listed
  });

  it('on the spring-forward day, a window starting in the skipped hour opens when the clock jumps past it', () => {
    // Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 never happens.
    const early = schedule('Sun 02:30-04:00');
    const verdict = judgeSchedule(early, utc('2026-03-29T00:50:00')); // 01:50 CET
    expect(verdict).toMatchObject({ open: false, nextOpening: utc('2026-03-29T01:00:00') }); // 03:00 CEST
    expect(judgeSchedule(early, utc('2026-03-29T01:30:00'))).toEqual({ open: true }); // 03:30 CEST
    expect(judgeSchedule(early, utc('2026-03-29T02:00:00'))).toMatchObject({ open: false }); // 04:00 CEST
  });

  it('on the fall-back day, a window in the repeated hour is open both times', () => {
    // Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-03:00 happens twice.
    const repeated = schedule('Sun 02:00-02:30');
    expect(judgeSchedule(repeated, utc('2026-10-25T00:10:00'))).toEqual({ open: true }); // 02:10 CEST
    expect(judgeSchedule(repeated, utc('2026-10-25T00:40:00'))).toMatchObject({ open: false, nextOpening: utc('2026-10-25T01:00:00') }); // 02:40 CEST -> 02:00 CET
    expect(judgeSchedule(repeated, utc('2026-10-25T01:10:00'))).toEqual({ open: true }); // 02:10 CET
  });

  it('a New York window follows US daylight saving, not Europe’s', () => {
    const ny = schedule('Mon-Fri 09:00-17:00', '', 'America/New_York');
    expect(judgeSchedule(ny, utc('2026-03-09T13:00:00'))).toEqual({ open: true }); // Mon 09:00 EDT (since Mar 8)
    expect(judgeSchedule(ny, utc('2026-03-06T13:00:00'))).toMatchObject({ open: false, nextOpening: utc('2026-03-06T14:00:00') }); // Fri 08:00 EST
  });

  it('without windows, any time outside a freeze is open', () => {
    expect(judgeSchedule(schedule(''), utc('2026-12-06T03:00:00'))).toEqual({ open: true });
  });
});

describe('freezes', () => {
  it('freezes whole local days, and names the first open minute after the last one in a window', () => {
    const holidays = schedule('Mon-Fri 09:00-17:00', '2026-12-24..2026-12-26 Holiday freeze');
    const verdict = judgeSchedule(holidays, utc('2026-12-24T10:00:00'));
    expect(verdict).toMatchObject({ open: false, why: 'freeze', freeze: { from: '2026-12-24', to: '2026-12-26', reason: 'Holiday freeze' } });
    // The 27th is a Sunday: Monday 28th, 09:00 Berlin.
    expect(verdict.open === false && verdict.nextOpening).toBe(utc('2026-12-28T08:00:00'));
  });

  it('without windows, reopens at local midnight after the last frozen date', () => {
    const verdict = judgeSchedule(schedule('', '2026-11-27 Black Friday'), utc('2026-11-27T12:00:00'));
    expect(verdict).toMatchObject({ open: false, why: 'freeze', nextOpening: utc('2026-11-27T23:00:00') });
  });

  it('a freeze is read in the time zone: 23:30 UTC on the 23rd is already the 24th in Berlin', () => {
    const verdict = judgeSchedule(schedule('', '2026-12-24 Christmas Eve'), utc('2026-12-23T23:30:00'));
    expect(verdict).toMatchObject({ open: false, why: 'freeze' });
    expect(judgeSchedule(schedule('', '2026-12-24 Christmas Eve', 'UTC'), utc('2026-12-23T23:30:00'))).toEqual({ open: true });
  });
});

describe('reading windows, freezes and time zones', () => {
  it('reads lists of days, ranges that wrap, daily and 24:00', () => {
    const read = parseWindows('Sat,Sun 10:00-12:00; Fri-Mon 08:00-09:00\ndaily 00:00-24:00');
    expect('windows' in read && read.windows.map((w) => [[...w.days].sort(), w.start, w.end])).toEqual([
      [[0, 6], 600, 720],
      [[0, 1, 5, 6], 480, 540],
      [[0, 1, 2, 3, 4, 5, 6], 0, 0],
    ]);
    expect(judgeSchedule(schedule('daily 00:00-24:00'), utc('2026-12-06T23:59:00'))).toEqual({ open: true });
  });

  it('says what is wrong and how to write it', () => {
    expect(parseWindows('weekdays 9-5')).toEqual({ error: expect.stringMatching(/"weekdays 9-5" is not a window; write days and hours, e\.g\. "Mon-Fri 09:00-17:00"/) });
    expect(parseWindows('Mon 25:00-26:00')).toHaveProperty('error');
    expect(parseWindows('Mon 09:00-09:00')).toEqual({ error: expect.stringMatching(/same time/) });
    expect(parseFreezes('2026-02-30')).toHaveProperty('error');
    expect(parseFreezes('2026-12-26..2026-12-24 backwards')).toEqual({ error: expect.stringMatching(/ends before it starts/) });
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
