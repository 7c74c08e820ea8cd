// Times as a person reads them: always with the time zone they are in, so a Boulder incident read from a
// laptop set to UTC is not an hour off without saying so. `zone` is an IANA name (the agency's configured
// zone, `America/Denver`); undefined means the browser's own, which is labelled too.

export interface TimeOptions {
  /** IANA time zone. @default the browser's */
  zone?: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter (zone: string | undefined, parts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${JSON.stringify(parts)}`
  let f = formatters.get(key)
  if (f === undefined) formatters.set(key, f = new Intl.DateTimeFormat(undefined, { ...parts, ...(zone === undefined ? {} : { timeZone: zone }), timeZoneName: 'short' }))
  return f
}

/** `Mar 4, 2026, 9:41 AM MST`; with seconds when `seconds` is set. */
export function formatTime (s: number, options: TimeOptions & { seconds?: boolean } = {}): string {
  return formatter(options.zone, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', ...(options.seconds === true ? { second: '2-digit' } : {}) }).format(new Date(s * 1000))
}

/** The time of day only, `9:41:10 AM MST`. */
export function formatClock (s: number, options: TimeOptions & { seconds?: boolean } = {}): string {
  return formatter(options.zone, { hour: 'numeric', minute: '2-digit', ...(options.seconds === true ? { second: '2-digit' } : {}) }).format(new Date(s * 1000))
}

/**
 * A span `start`–`end`: the end without its date when on the same day, seconds shown when the span is under
 * ten minutes or does not fall on whole minutes (a 4-second clip is `9:41:06–9:41:10 AM MST`, not `9:41–9:41`).
 */
export function formatSpan (start: number, end: number, options: TimeOptions = {}): string {
  const seconds = end - start < 600 || start % 60 !== 0 || end % 60 !== 0
  const day = (s: number): string => formatter(options.zone, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(s * 1000))
  if (day(start) !== day(end)) return `${formatTime(start, { ...options, seconds })} – ${formatTime(end, { ...options, seconds })}`
  return `${formatTime(start, { ...options, seconds })} – ${formatClock(end, { ...options, seconds })}`
}

/** A duration in words: `4 s`, `2 min 5 s`, `1 h 10 min`. */
export function formatDuration (seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`
  const m = Math.round(s / 60)
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`
}
