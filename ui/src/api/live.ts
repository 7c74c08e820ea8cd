// The node's live events as the pages use them: one stream per tab (live-stream.ts), opened by the entry
// (main.tsx) and shared through LiveContext; a page subscribes with `useLive` and reads again what an event
// names. Every (re)connect starts with `ready`, on which each page reads everything it shows again: nothing
// missed while the stream was down is lost.
import { createContext } from 'preact'
import { useContext, useEffect, useRef, useState } from 'preact/hooks'
import type { LiveEvent, LiveEventType } from '../../../protocol/index.js'
import { connectLive, type LiveState } from './live-stream.js'

export type { LiveState }

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
