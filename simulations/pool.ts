// A bounded pool: the simulator's process is CPU-bound, so starting, dialling or stopping hundreds of nodes
// all at once only makes each step slower (past libp2p's timeouts); a few in flight keep it moving.

/** Runs `task` over `items` with at most `limit` in flight; resolves when all are done. */
export async function pool<T> (items: readonly T[], limit: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; await task(items[i]!, i) }
  }))
}
