// A long-running command (`start`, `chain`) and the process that started it. It stops at SIGINT or
// SIGTERM, or — when a parent started it with an IPC channel, as `porchlight demo` does — when that channel
// closes, which is how a child learns that its parent died without a chance to signal it (SIGKILL, a
// crash). A second signal while stopping exits at once. Over the same channel it says when it is ready.

export type StopReason = NodeJS.Signals | 'parent-exited'

/** What a command tells a parent that started it with an IPC channel. */
export interface ReadyMessage { type: 'porchlight:ready' }

/** Tells the parent, if it gave us an IPC channel, that we are ready (its event to await; no log scraping). */
export function notifyParentReady (): void {
  const message: ReadyMessage = { type: 'porchlight:ready' }
  process.send?.(message)
}

/** Resolves with the first reason to stop. */
export function untilStopRequested (): Promise<StopReason> {
  return new Promise((resolve) => {
    const stop = (reason: StopReason): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      process.off('disconnect', onDisconnect)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve(reason)
    }
    const onDisconnect = (): void => { stop('parent-exited') }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    if (process.channel !== undefined) {
      // The channel must not keep the process alive once the command is done.
      process.channel.unref()
      process.on('disconnect', onDisconnect)
    }
  })
}
