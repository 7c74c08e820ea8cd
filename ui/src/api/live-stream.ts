// The client of the node's live events (GET /api/events, Server-Sent Events): read with fetch and
// eventsource-parser rather than EventSource, which cannot send the Authorization header (and a token in the
// URL would be kept in the node's logs and the browser's history). The pages use it through live.ts.
import { createParser } from 'eventsource-parser'
import type { LiveEvent } from '../../../protocol/index.js'
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

