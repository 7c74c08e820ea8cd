// A client of GET /api/events as the UI is one: fetch with the bearer token, the body read as it comes,
// parsed by eventsource-parser. Waits are for what arrives (bounded), never sleeps.
import { EventEmitter, once } from 'node:events'
import { createParser, type EventSourceMessage } from 'eventsource-parser'

export type { EventSourceMessage }

export interface EventStream {
  res: Response
  /** The next event (of `type`, when given), skipping others. */
  next: (type?: string) => Promise<EventSourceMessage>
  /** The next comment line. */
  comment: () => Promise<string>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close: () => void
}

export async function openEventStream (url: string, token: string | null): Promise<EventStream> {
  const controller = new AbortController()
  const res = await fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` }, signal: controller.signal })
  const events: EventSourceMessage[] = []
  const comments: string[] = []
  const wake = new EventEmitter()
  const parser = createParser({
    onEvent: (e) => { events.push(e); wake.emit('item') },
    onComment: (c) => { comments.push(c); wake.emit('item') }
  })
  const ended = (async () => {
    if (!res.ok || res.body === null) return
    const decoder = new TextDecoder()
    try {
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }))
    } catch {
      // Aborted by close(), or cut off by the server: either way the stream is over.
    }
  })()
  const take = async <T>(from: T[], match: (x: T) => boolean): Promise<T> => {
    for (;;) {
      const i = from.findIndex(match)
      if (i >= 0) return from.splice(i, 1)[0]!
      await once(wake, 'item', { signal: AbortSignal.timeout(10_000) })
    }
  }
  return {
    res,
    next: async (type) => await take(events, (e) => type === undefined || e.event === type),
    comment: async () => await take(comments, () => true),
    ended,
    close: () => { controller.abort() }
  }
}

