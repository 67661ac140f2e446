/**
 * Calendar dates as 'YYYY-MM-DD' strings: they compare correctly as strings and carry no time zone.
 * Ages and "not in the future" are judged on the Indonesian calendar (WIB), not the server's UTC day.
 */
const wib = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Jakarta, e.g. 2026-01-02 at 01:00 WIB while UTC is still on the 1st. */
export function jakartaDate(now: Date): string {
  return wib.format(now);
}

/** A real day of the Gregorian calendar (no 30 February, 29 February only in leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Whether someone born on birthDate has had their years-th birthday by today. Comparing the birthday as a
 * string means a 29 February birth turns a year older on 1 March in common years.
 */
export function hasReachedAge(birthDate: string, years: number, today: string): boolean {
  const birthday = `${String(Number(birthDate.slice(0, 4)) + years).padStart(4, '0')}${birthDate.slice(4)}`;
  return birthday <= today;
}
