export { LiveEvents, liveEvents, type LiveEventsInit, type LiveEventsComponents, type LiveEventsEvents } from './live-events.js'
export { EventStreams, type EventStreamsInit, type EventStreamsEvents } from './event-streams.js'
export { TooManyEventStreamsError } from './errors.js'
export { liveRoutes } from './routes.js'
