// The request topics an auditor listens on: the res-7 cells of the jurisdictions of the agencies it audits
// (config `audit.logs`), as the registry holds them now, so every checkpoint residents there see reaches it
// too. A jurisdiction may hold up to AgencyRegistry.MAX_CELLS (1,024) cells of resolution 0…7, and one
// res-0 cell alone covers ~800,000 res-7 cells: each subscription is announced to every peer and kept in
// gossipsub's state, so the topics are bounded (MAX_AUDIT_TOPICS) and an agency whose cells do not fit is
// reported (GOSSIP_TOPICS_CAPPED), never silently half-watched.
import { cellToChildren, cellToChildrenSize, cellToParent, getResolution } from 'h3-js'
import { TOPIC_RESOLUTION } from '../../protocol/index.js'

/** Most request topics one auditor joins: a jurisdiction of 1,024 res-7 cells four times over. */
export const MAX_AUDIT_TOPICS = 4096

export interface GossipCells {
  /** The res-7 cells to join, sorted. */
  cells: string[]
  /** Agencies whose jurisdiction did not fit in what was left of the bound. */
  capped: Array<{ agency: string, cells: number, joined: number }>
}

/** The res-7 cells covering `jurisdiction` (coarser cells: their children; none is finer than res 7). */
export function topicCellsOfJurisdiction (jurisdiction: readonly string[], limit: number): { cells: string[], total: number } {
  const out = new Set<string>()
  let total = 0
  for (const cell of jurisdiction) {
    const r = getResolution(cell)
    if (r >= TOPIC_RESOLUTION) {
      const topic = r === TOPIC_RESOLUTION ? cell : cellToParent(cell, TOPIC_RESOLUTION)
      if (out.has(topic)) continue
      total++
      if (out.size < limit) out.add(topic)
      continue
    }
    // Counted before enumerating: a res-0 cell's children are not built just to be dropped.
    const n = cellToChildrenSize(cell, TOPIC_RESOLUTION)
    total += n
    if (out.size + n <= limit) for (const c of cellToChildren(cell, TOPIC_RESOLUTION)) out.add(c)
  }
  return { cells: [...out], total }
}

/** The topics of every agency's jurisdiction, agencies in address order, within `max` cells in all. */
export function gossipCells (jurisdictions: ReadonlyMap<string, readonly string[]>, max = MAX_AUDIT_TOPICS): GossipCells {
  const cells = new Set<string>()
  const capped: GossipCells['capped'] = []
  for (const agency of [...jurisdictions.keys()].sort()) {
    const left = max - cells.size
    const mine = topicCellsOfJurisdiction(jurisdictions.get(agency)!, left)
    const fresh = mine.cells.filter((c) => !cells.has(c))
    if (mine.total > mine.cells.length || fresh.length > left) {
      capped.push({ agency, cells: mine.total, joined: Math.min(fresh.length, left) })
    }
    for (const c of fresh.slice(0, left)) cells.add(c)
  }
  return { cells: [...cells].sort(), capped }
}
