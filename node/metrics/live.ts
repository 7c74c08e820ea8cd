// The UI's event streams (GET /api/events): how many are open, refused for the limit, dropped for a client
// that did not read, and the events sent by type (a closed list: the label stays small).
import { Counter, Gauge, type Registry } from 'prom-client'
import type { EventStreams, EventStreamsEvents } from '../live/index.js'

export function liveMetrics (registry: Registry, streams: EventStreams): () => void {
  new Gauge({ name: 'porchlight_live_streams', help: 'Event streams (GET /api/events) open now', registers: [registry], collect () { this.set(streams.size) } })
  const refused = new Counter({ name: 'porchlight_live_streams_refused_total', help: 'Event streams refused: the node held its limit', registers: [registry] })
  const dropped = new Counter({ name: 'porchlight_live_streams_dropped_total', help: 'Event streams closed by the node because their client did not read', labelNames: ['reason'] as const, registers: [registry] })
  const sent = new Counter({ name: 'porchlight_live_events_sent_total', help: 'Events written to event streams, by type', labelNames: ['type'] as const, registers: [registry] })
  const onRefused = (): void => { refused.inc() }
  const onDropped = ({ reason }: EventStreamsEvents['stream:dropped'][0]): void => { dropped.inc({ reason }) }
  const onSent = (type: EventStreamsEvents['event:sent'][0]): void => { sent.inc({ type }) }
  streams.on('stream:refused', onRefused)
  streams.on('stream:dropped', onDropped)
  streams.on('event:sent', onSent)
  return () => {
    streams.off('stream:refused', onRefused)
    streams.off('stream:dropped', onDropped)
    streams.off('event:sent', onSent)
  }
}
