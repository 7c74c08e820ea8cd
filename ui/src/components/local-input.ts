// The values of datetime-local inputs, read and written on the clocks of a given IANA zone.
const pad2 = (n: number): string => String(n).padStart(2, '0')

/** Seconds that `zone`'s clocks are ahead of UTC at the instant `s` (negative west of Greenwich). */
function zoneOffset (s: number, zone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(zone === undefined ? {} : { timeZone: zone }), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  }).formatToParts(new Date(Math.floor(s) * 1000))
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) / 1000 - Math.floor(s)
}

/**
 * A datetime-local input's value for unix seconds `s`, as the clocks of `zone` show it (an IANA name; the
 * browser's when undefined), to the minute or the second: the agency's incident times are its own zone's.
 */
export const toLocalInput = (s: number, seconds = true, zone?: string): string => {
  if (!Number.isFinite(s)) return ''
  const d = new Date((Math.floor(s) + zoneOffset(s, zone)) * 1000)
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`
  return seconds ? `${day}:${pad2(d.getUTCSeconds())}` : day
}
/**
 * Unix seconds from a datetime-local input's value read on `zone`'s clocks (NaN when empty or malformed).
 * The offset is taken twice, at the guess and then at the result, so a time beside a DST change lands right.
 */
export const fromLocalInput = (value: string, zone?: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value)
  if (m === null) return NaN
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) / 1000
  const guess = wall - zoneOffset(wall, zone)
  return wall - zoneOffset(guess, zone)
}
