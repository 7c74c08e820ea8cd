// The node's live events (GET /api/events, Server-Sent Events) as the pages use them. Read with fetch and
// eventsource-parser rather than EventSource, which cannot send the Authorization header (and a token in the
// URL would be kept in the node's logs and the browser's history). One stream per tab, opened by the
// entry (main.tsx) and shared through LiveContext; a page subscribes with `useLive` and reads again what
// an event names. Every (re)connect starts with `ready`, on which each page reads everything it shows again:
// nothing missed while the stream was down is lost.
import { createContext } from 'preact'
import { useContext, useEffect, useRef, useState } from 'preact/hooks'
import { createParser } from 'eventsource-parser'
import type { LiveEvent, LiveEventType } from '../../../protocol/index.js'
import { toApiError } from './client.js'

export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'unsupported' | 'refused'

export interface LiveInit {
  token: string
  /** @default '' (the page's own origin) */
  base?: string
  fetch?: typeof fetch
  onEvent: (event: LiveEvent) => void
  onState?: (state: LiveState) => void
  /** The first wait before a reconnect, doubled after each failure up to `maxDelayMs`; the stream's `retry:` replaces it. @default 2000 */
  delayMs?: number
  /** @default 30000 */
  maxDelayMs?: number
}

/**
 * Keeps one event stream open, reconnecting with backoff when it ends or fails. It stops for good on a 401
 * (the token is wrong: nothing would change by asking again) and on a 404 (a node without the route).
 */
export function connectLive (init: LiveInit): { close: () => void } {
  const doFetch = init.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const signal = controller.signal
  let base = init.delayMs ?? 2000
  const max = init.maxDelayMs ?? 30_000
  const state = (s: LiveState): void => { if (!signal.aborted) init.onState?.(s) }
  const wait = async (ms: number): Promise<void> => await new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
  })
  void (async () => {
    let delay = base
    state('connecting')
    while (!signal.aborted) {
      try {
        const res = await doFetch(`${init.base ?? ''}/api/events`, { headers: { authorization: `Bearer ${init.token}`, accept: 'text/event-stream' }, signal })
        if (res.status === 401 || res.status === 404) { state(res.status === 401 ? 'refused' : 'unsupported'); return }
        if (!res.ok || res.body === null) throw await toApiError(res)
        const parser = createParser({
          // Bounded: a line longer than any event the node sends is refused, not buffered.
          maxBufferSize: 1024 * 1024,
          onRetry: (ms) => { base = ms },
          onEvent: (message) => {
            if (message.event === undefined) return
            let data: unknown
            try { data = JSON.parse(message.data) } catch { return }
            if (message.event === 'ready') { state('open'); delay = base }
            init.onEvent({ type: message.event, data } as LiveEvent)
          }
        })
        const reader = res.body.getReader()
        const decoder = new TextDecoder()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          parser.feed(decoder.decode(value, { stream: true }))
        }
      } catch {
        // A dropped connection, a refusal for the limit (503), a node restarting: all end in a reconnect.
      }
      if (signal.aborted) return
      state('reconnecting')
      await wait(delay)
      delay = Math.min(delay * 2, max)
    }
  })()
  return { close: () => { controller.abort() } }
}

export interface Live {
  state: LiveState
  /** A resident's unread requests, as the node last said; undefined for other roles or before `ready`. */
  unread: number | undefined
  /** The same for the tab's life: what LiveContext carries, so subscribers never resubscribe. */
  events: LiveEvents
}

export interface LiveEvents {
  /** Calls `listener` for each event; returns the unsubscribe. */
  subscribe: (listener: (event: LiveEvent) => void) => () => void
}

export const LiveContext = createContext<LiveEvents | undefined>(undefined)

/** Opens this tab's stream while `token` is set and `enabled` (the entry calls it once, and provides `events` as LiveContext). */
export function useLiveConnection (token: string | undefined, enabled: boolean): Live {
  const [state, setState] = useState<LiveState>('connecting')
  const [unread, setUnread] = useState<number | undefined>()
  const events = useRef<LiveEvents & { emit: (event: LiveEvent) => void } | undefined>(undefined)
  if (events.current === undefined) {
    const listeners = new Set<(event: LiveEvent) => void>()
    events.current = {
      subscribe: (listener) => { listeners.add(listener); return () => { listeners.delete(listener) } },
      emit: (event) => { for (const l of [...listeners]) l(event) }
    }
  }
  const hub = events.current
  useEffect(() => {
    if (token === undefined || !enabled) return
    const live = connectLive({
      token,
      onState: setState,
      onEvent: (event) => {
        if (event.type === 'ready' || event.type === 'inbox') setUnread(event.data.unread)
        hub.emit(event)
      }
    })
    return () => { live.close() }
  }, [token, enabled])
  return { state, unread, events: hub }
}

/**
 * Calls `onEvent` with each live event of `types`, and without one on every `ready` (a stream opened, or
 * opened again after a break): then the page reads everything again, since events in between were missed.
 * Does nothing without a stream (a page rendered outside LiveContext).
 */
export function useLive<T extends LiveEventType> (types: readonly T[], onEvent: (event?: Extract<LiveEvent, { type: T }>) => void): void {
  const live = useContext(LiveContext)
  // The latest callback, so a page's closure over its current props is the one called.
  const latest = useRef(onEvent)
  latest.current = onEvent
  const key = types.join(',')
  useEffect(() => {
    if (live === undefined) return
    return live.subscribe((event) => {
      if (event.type === 'ready') latest.current()
      else if ((types as readonly string[]).includes(event.type)) latest.current(event as Extract<LiveEvent, { type: T }>)
    })
  }, [live, key])
}
