// Deploy windows and freezes: when deploys may run. Pure: the time comes in. Wall-clock times are
// read in the schedule's IANA time zone through Intl, never by hand, so daylight saving is the
// platform's: a window that starts in the hour a spring-forward day skips opens when the clock
// jumps past its start, and one in the hour a fall-back day repeats is open both times.

export interface WeeklyWindow {
  /** Days of the week the window starts on, 0 = Sunday. */
  days: ReadonlySet<number>;
  /** Minutes after local midnight. */
  start: number;
  /** Minutes after local midnight; at or before `start`, the window ends the next day. */
  end: number;
  /** As written, for messages. */
  text: string;
}

export interface Freeze {
  /** First and last local date frozen, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  reason: string;
}

export interface DeploySchedule {
  timeZone: string;
  /** Empty: any time (outside freezes). */
  windows: WeeklyWindow[];
  freezes: Freeze[];
}

export type ScheduleVerdict =
  | { open: true }
  | {
      open: false;
      why: 'outside-window' | 'freeze';
      freeze?: Freeze;
      /** The next time a deploy may start (epoch ms); undefined if not within a year. */
      nextOpening: number | undefined;
    };

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The search for the next opening stops a year out. */
const HORIZON = 366 * 24 * HOUR;

export function isTimeZone(zone: string): boolean {
  // UTC needs no time zone data: loading it costs every run several MiB (bench 1b).
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `Mon-Fri 09:00-17:00`, `Sat,Sun 10:00-12:00`, `Fri 22:00-02:00`, `daily 06:00-22:00`; several separated by newlines or `;`. */
export function parseWindows(text: string): { windows: WeeklyWindow[] } | { error: string } {
  const windows: WeeklyWindow[] = [];
  for (const item of splitItems(text)) {
    const match = /^(\S+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(item);
    const days = match ? parseDays(match[1]!) : undefined;
    const start = match ? minutesOf(match[2]!, match[3]!) : undefined;
    const end = match ? minutesOf(match[4]!, match[5]!) : undefined;
    if (!match || !days || start === undefined || end === undefined) {
      return { error: `"${item}" is not a window; write days and hours, e.g. "Mon-Fri 09:00-17:00" or "Fri 22:00-02:00" (ends the next day)` };
    }
    if (start === end) return { error: `"${item}" starts and ends at the same time; for all day write 00:00-24:00` };
    windows.push({ days, start, end: end === 24 * 60 ? 0 : end, text: item });
  }
  return { windows };
}

/** `2026-12-24..2027-01-02 Holiday freeze` or `2026-11-27 Black Friday`; one per line (or `;`). */
export function parseFreezes(text: string): { freezes: Freeze[] } | { error: string } {
  const freezes: Freeze[] = [];
  for (const item of splitItems(text)) {
    const match = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?(?:\s+(.*))?$/.exec(item);
    const from = match?.[1];
    const to = match?.[2] ?? from;
    if (!match || !isDate(from!) || !isDate(to!)) {
      return { error: `"${item}" is not a freeze; write a date or a range of dates and a reason, e.g. "2026-12-24..2027-01-02 Holiday freeze"` };
    }
    if (to! < from!) return { error: `"${item}" ends before it starts` };
    freezes.push({ from: from!, to: to!, reason: (match[3] ?? '').trim() });
  }
  return { freezes };
}

/** Whether a deploy may start at `now`, and if not, why and when it next may. */
export function judgeSchedule(schedule: DeploySchedule, now: number): ScheduleVerdict {
  if (!schedule.windows.length && !schedule.freezes.length) return { open: true };
  const clock = localClock(schedule.timeZone);
  const here = clock(now);
  const freeze = frozenBy(schedule, here);
  if (!freeze && inAnyWindow(schedule, here)) return { open: true };
  return { open: false, why: freeze ? 'freeze' : 'outside-window', ...(freeze ? { freeze } : {}), nextOpening: nextOpening(schedule, clock, now) };
}

/** Local date, weekday and minute of an instant in one time zone. */
interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
}

function localClock(timeZone: string): (at: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      weekday: DAY_NAMES.indexOf(String(parts.weekday).toLowerCase()),
      minutes: Number(parts.hour) * 60 + Number(parts.minute),
    };
  };
}

function inAnyWindow(schedule: DeploySchedule, t: LocalTime): boolean {
  if (!schedule.windows.length) return true;
  return schedule.windows.some((w) => {
    if (w.start < w.end) return w.days.has(t.weekday) && t.minutes >= w.start && t.minutes < w.end;
    // Crosses midnight: open from the start on a listed day, and until the end on the day after one.
    return (w.days.has(t.weekday) && t.minutes >= w.start) || (w.days.has((t.weekday + 6) % 7) && t.minutes < w.end);
  });
}

function frozenBy(schedule: DeploySchedule, t: LocalTime): Freeze | undefined {
  return schedule.freezes.find((f) => f.from <= t.date && t.date <= f.to);
}

/** The first whole minute after `now` that is in a window and not frozen. Frozen days are skipped an hour at a time. */
function nextOpening(schedule: DeploySchedule, clock: (at: number) => LocalTime, now: number): number | undefined {
  let t = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  while (t - now <= HORIZON) {
    const here = clock(t);
    if (frozenBy(schedule, here)) {
      t += HOUR;
      // Out of the freeze: go back to the last frozen minute, so the first open one is found exactly.
      if (!frozenBy(schedule, clock(t))) while (!frozenBy(schedule, clock(t - MINUTE))) t -= MINUTE;
      continue;
    }
    if (inAnyWindow(schedule, here)) return t;
    t += MINUTE;
  }
  return undefined;
}

/** "Mon 2026-12-07 09:00 Europe/Berlin (08:00 UTC)". */
export function formatLocal(at: number, timeZone: string): string {
  const t = localClock(timeZone)(at);
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const day = DAY_NAMES[t.weekday]!;
  const utc = new Date(at).toISOString();
  return `${day[0]!.toUpperCase()}${day.slice(1)} ${t.date} ${hhmm(t.minutes)} ${timeZone}${timeZone === 'UTC' ? '' : ` (${utc.slice(11, 16)} UTC${utc.slice(0, 10) === t.date ? '' : ` ${utc.slice(0, 10)}`})`}`;
}

function splitItems(text: string): string[] {
  return text
    .split(/[\n;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseDays(text: string): Set<number> | undefined {
  const lower = text.toLowerCase();
  if (lower === 'daily') return new Set([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<number>();
  for (const part of lower.split(',')) {
    const [a, b, ...rest] = part.split('-');
    const first = DAY_NAMES.indexOf(a ?? '');
    const last = b === undefined ? first : DAY_NAMES.indexOf(b);
    if (first < 0 || last < 0 || rest.length) return undefined;
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days;
}

function minutesOf(hours: string, minutes: string): number | undefined {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return undefined;
  return h * 60 + m;
}

function isDate(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === text;
}
