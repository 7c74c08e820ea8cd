// Which connections the demo's nodes still lack. Connected as one graph is not enough: gossip travels only
// between peers on a request's topic, so an in-area resident whose dial to the publishing agency was refused
// (libp2p takes 5 inbound connections a second from one host) stayed in the graph through an out-of-area
// neighbour and never heard the request (issue 15, item 8). So every link a node's bootstrap list names must
// be there, and a node outside the hub's component (one with no bootstrap list at all) dials the hub.

export interface MeshNode {
  peerId: string
  /** The peers its config bootstraps from, with the address to dial. */
  bootstrap: Array<{ peerId: string, addr: string }>
}

export interface MissingLink {
  /** The node that should dial. */
  from: string
  /** The peer to dial, and where. */
  to: string
  addr: string
}

/**
 * The dials that would complete the mesh: first nodes outside the hub's connected component (to the hub),
 * then each bootstrap link of a node that is not there, in either direction, to a peer of the mesh. Empty
 * when the mesh is complete.
 */
export function missingLinks (nodes: readonly MeshNode[], edges: ReadonlyArray<readonly [string, string]>, hub: { peerId: string, addr: string }): MissingLink[] {
  const linked = new Set(edges.flatMap(([a, b]) => [`${a} ${b}`, `${b} ${a}`]))
  const reached = new Set([hub.peerId])
  for (let grew = true; grew;) {
    grew = false
    for (const [a, b] of edges) {
      if (reached.has(a) !== reached.has(b)) { reached.add(a); reached.add(b); grew = true }
    }
  }
  const members = new Set(nodes.map((n) => n.peerId))
  const outside = nodes.filter((n) => !reached.has(n.peerId)).map((n) => ({ from: n.peerId, to: hub.peerId, addr: hub.addr }))
  const unlinked = nodes.flatMap((n) => n.bootstrap
    .filter((b) => members.has(b.peerId) && !linked.has(`${n.peerId} ${b.peerId}`) && reached.has(n.peerId))
    .map((b) => ({ from: n.peerId, to: b.peerId, addr: b.addr })))
  return [...outside, ...unlinked]
}
