/**
 * Just enough cron for the local scheduler to run scheduled functions on the same five-field schedule Cloud
 * Scheduler uses (minute hour day-of-month month day-of-week; `*`, `a-b`, `*\/n`, `a-b/n`, lists), in the
 * job's time zone. Day-of-month and day-of-week combine with OR when both are restricted, as in cron.
 */
interface Field {
  values: Set<number>;
  any: boolean;
}

const ranges: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [min, max]: [number, number]): Field {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`Bad cron field "${text}"`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`Cron field "${text}" out of range`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, any: text === '*' };
}

export interface Cron {
  minute: Field;
  hour: Field;
  dayOfMonth: Field;
  month: Field;
  dayOfWeek: Field;
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`Cron needs five fields: "${expr}"`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((p, i) => parseField(p, ranges[i]!)) as [Field, Field, Field, Field, Field];
  if (dayOfWeek.values.has(7)) dayOfWeek.values.add(0);
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/** Minutes east of UTC of `timeZone` at `at` (Asia/Jakarta has no DST, but other zones may). */
function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.dayOfMonth.values.has(d.getUTCDate());
  const dow = c.dayOfWeek.values.has(d.getUTCDay());
  if (c.dayOfMonth.any) return dow;
  if (c.dayOfWeek.any) return dom;
  return dom || dow;
}

/** The first matching minute strictly after `from`. */
export function nextRun(expr: string, from: Date, timeZone = 'UTC'): Date {
  const c = parseCron(expr);
  const offset = offsetMinutes(timeZone, from);
  // Work on a "wall clock" date whose UTC fields are the zone's local fields.
  const t = new Date(from.getTime() + offset * 60_000);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  for (let guard = 0; guard < 600_000; guard++) {
    if (!c.month.values.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(c, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!c.hour.values.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!c.minute.values.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return new Date(t.getTime() - offset * 60_000);
    }
  }
  throw new Error(`Cron "${expr}" never matches`);
}
