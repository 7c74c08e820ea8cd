// Which `Host` values the API answers (DNS rebinding): a page on evil.example.com can make its own name
// resolve to 127.0.0.1, and the browser then sends it to this node as same-origin with `Host:
// evil.example.com[:port]`. The socket cannot tell such a request from the node's own UI; the name can. So
// the API answers only names it is known by: the loopback names, the host it listens on, the names and
// addresses it announces, and names an operator lists (a reverse proxy's public name).
import { multiaddr } from '@multiformats/multiaddr'

/** The names every node answers to (the browser spells IPv6 in brackets, as URL.hostname does). */
export const loopbackNames: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

/** Addresses that mean "every interface": a listen host, never a name anyone reaches the node by. */
const wildcards = new Set(['0.0.0.0', '::', '[::]'])

export interface HostAllowList {
  /** Lower-case host names (IPv6 in brackets). */
  readonly names: ReadonlySet<string>
  /** Ports a configured URL names for its host, besides the API's own listening port. */
  readonly ports: ReadonlyMap<string, ReadonlySet<string>>
}

/** A host name as URL.hostname spells it (lower case, IPv6 in brackets, IPv4 canonical), or undefined. */
function toHostname (name: string): string | undefined {
  const spelled = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name
  try {
    return new URL(`http://${spelled}`).hostname
  } catch {
    return undefined
  }
}

/** The host part of an announced multiaddr (/ip4, /ip6, /dns, /dns4, /dns6), or undefined. */
function hostOfMultiaddr (addr: string): string | undefined {
  try {
    const first = multiaddr(addr).getComponents()[0]
    if (first === undefined || first.value === undefined) return undefined
    return ['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(first.name) ? first.value : undefined
  } catch {
    return undefined
  }
}

/**
 * The allow-list of a node: `host` is the address it listens on (a wildcard adds nothing), `announce` its
 * libp2p announce multiaddrs, `urls` public base URLs it is configured with (a witness's `url`), `names`
 * what the operator adds (`api.allowedHosts`).
 */
export function hostAllowList (init: { host?: string, announce?: readonly string[], urls?: readonly string[], names?: readonly string[] } = {}): HostAllowList {
  const names = new Set<string>(loopbackNames)
  const ports = new Map<string, Set<string>>()
  const add = (name: string | undefined): void => {
    const hostname = name === undefined || wildcards.has(name) ? undefined : toHostname(name)
    if (hostname !== undefined && hostname !== '' && !wildcards.has(hostname)) names.add(hostname)
  }
  add(init.host)
  for (const a of init.announce ?? []) add(hostOfMultiaddr(a))
  for (const n of init.names ?? []) add(n)
  for (const u of init.urls ?? []) {
    let url: URL
    try { url = new URL(u) } catch { continue }
    names.add(url.hostname)
    if (url.port !== '') ports.set(url.hostname, new Set([...(ports.get(url.hostname) ?? []), url.port]))
  }
  return { names, ports }
}

/**
 * Whether a request's `Host` header names this node. The name must be on the list; a port, when the header
 * has one, must be the one the API listens on (`listenPort`; undefined when it does not listen, as in
 * `inject`) or one a configured URL names for that host. A header that does not parse as a host is refused.
 */
export function isAllowedHost (header: string | undefined, list: HostAllowList, listenPort: number | undefined): boolean {
  if (header === undefined || header === '' || /[/?#@\s\\]/.test(header)) return false
  let url: URL
  try { url = new URL(`http://${header}`) } catch { return false }
  if (!list.names.has(url.hostname)) return false
  if (url.port === '' || listenPort === undefined) return true
  return url.port === String(listenPort) || (list.ports.get(url.hostname)?.has(url.port) ?? false)
}
