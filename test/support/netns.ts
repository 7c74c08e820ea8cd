// Linux network namespaces for the real-NAT test and bench: namespaces joined by veth pairs (and a bridge),
// addresses and routes, MASQUERADE on a router, and processes run inside a namespace (`ip netns exec`).
// Everything is made by iproute2 and iptables inside namespaces this file created, never on the host's own
// interfaces or rules. Names are `pl-<pid>-<n>`, so a run that was SIGKILLed (no handler ran) is recognised
// by the next one — its pid is dead — and its namespaces removed. Teardown runs from the test's after hook,
// and again, synchronously, from the process's 'exit' and from SIGINT/SIGTERM.
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync } from 'node:fs'
import { promisify } from 'node:util'
import { PorchlightError } from '../../protocol/errors.js'

const run = promisify(execFile)

/** The kernel (or the container) refused to make a network namespace: the test must skip, loudly. */
export class NetnsUnavailableError extends PorchlightError {
  static override readonly code = 'NETNS_UNAVAILABLE'
  static override readonly status = 500
  constructor (reason: string) {
    super(NetnsUnavailableError.code, `network namespaces are not available here: ${reason}`, { details: { reason } })
    this.name = 'NetnsUnavailableError'
  }
}

/** An `ip`/`iptables` command inside a namespace failed: the topology is not what the test asked for. */
export class NetnsCommandError extends PorchlightError {
  static override readonly code = 'NETNS_COMMAND_FAILED'
  static override readonly status = 500
  constructor (command: string[], stderr: string) {
    super(NetnsCommandError.code, `${command.join(' ')}: ${stderr.trim()}`, { details: { command, stderr } })
    this.name = 'NetnsCommandError'
  }
}

const prefix = 'pl-'
const live = new Set<string>()
const children = new Set<ChildProcess>()
let counter = 0
let hooked = false

async function ip (...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout
  } catch (err) {
    throw new NetnsCommandError(['ip', ...args], (err as { stderr?: string }).stderr ?? String(err))
  }
}

/** SIGKILL to every process started in a namespace, then every namespace deleted; synchronous, for 'exit'. */
function teardownSync (): void {
  for (const child of children) killTree(child)
  children.clear()
  for (const name of live) {
    try { execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' }) } catch { /* gone already */ }
  }
  live.clear()
}

function killTree (child: ChildProcess): void {
  if (child.pid === undefined) return
  // Spawned detached: the child leads its own group, which holds whatever it started in turn.
  for (const target of [-child.pid, child.pid]) {
    try { process.kill(target, 'SIGKILL') } catch { /* exited already */ }
  }
}

function installExitHooks (): void {
  if (hooked) return
  hooked = true
  process.on('exit', teardownSync)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      teardownSync()
      process.kill(process.pid, signal)
    })
  }
}

/** Namespaces of an earlier run of this file whose process is gone (SIGKILL leaves them behind). */
async function removeOrphans (): Promise<void> {
  const list = await run('ip', ['netns', 'list']).then((r) => r.stdout, () => '')
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const pid = Number(/^pl-(\d+)-\d+$/.exec(name)?.[1])
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue
    await run('ip', ['netns', 'del', name]).catch(() => {})
  }
}

function isAlive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch (err) { return (err as { code?: string }).code === 'EPERM' }
}

/**
 * Throws NetnsUnavailableError when this process may not make a network namespace (not root, a
 * container without CAP_SYS_ADMIN, no iptables): the caller skips and says why.
 */
export async function assertNetnsAvailable (): Promise<void> {
  if (process.platform !== 'linux') throw new NetnsUnavailableError(`not Linux (${process.platform})`)
  const probe = `${prefix}${process.pid}-probe`
  try {
    await run('ip', ['netns', 'add', probe])
  } catch (err) {
    throw new NetnsUnavailableError(`ip netns add refused: ${((err as { stderr?: string }).stderr ?? String(err)).trim()}`)
  }
  try {
    await run('ip', ['netns', 'exec', probe, 'iptables', '-t', 'nat', '-S'])
  } catch (err) {
    throw new NetnsUnavailableError(`iptables in a namespace failed: ${((err as { stderr?: string }).stderr ?? String(err)).trim()}`)
  } finally {
    await run('ip', ['netns', 'del', probe]).catch(() => {})
  }
}

/**
 * Why a test in `file` must skip (namespaces are not available here), warned on the console so a skip is
 * never silent; undefined when they are available.
 */
export async function netnsSkipReason (file: string): Promise<string | undefined> {
  try {
    await assertNetnsAvailable()
    return undefined
  } catch (err) {
    if (!(err instanceof NetnsUnavailableError)) throw err
    console.warn(`${file}: SKIPPED, ${err.message}`)
    return err.message
  }
}

export interface SpawnInOptions {
  /** A file that gets the process's stdout and stderr. */
  log: string
  env?: NodeJS.ProcessEnv
  /** An IPC channel (fd 3), as `porchlight start`/`chain` use to say they are ready. @default true */
  ipc?: boolean
}

export class Namespace {
  constructor (readonly name: string) {}

  /** `ip -n NAME ARGS`. */
  async ip (...args: string[]): Promise<string> {
    return await ip('-n', this.name, ...args)
  }

  /** Runs a command inside the namespace to its end (iptables, sysctl). */
  async exec (command: string, ...args: string[]): Promise<string> {
    return await ip('netns', 'exec', this.name, command, ...args)
  }

  async addAddress (dev: string, cidr: string): Promise<void> {
    await this.ip('addr', 'add', cidr, 'dev', dev)
  }

  async up (dev: string): Promise<void> {
    await this.ip('link', 'set', dev, 'up')
  }

  /**
   * Whether a TCP connection from inside this namespace to `host:port` opens within `timeoutMs`: what the
   * test checks the topology with (no route into a home, nothing forwarded by a router).
   */
  async canConnect (host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
    const script = 'const s = require("node:net").connect(Number(process.argv[2]), process.argv[1]);' +
      's.setTimeout(Number(process.argv[3]), () => process.exit(2));' +
      's.on("connect", () => process.exit(0)); s.on("error", () => process.exit(1))'
    try {
      await ip('netns', 'exec', this.name, process.execPath, '-e', script, host, String(port), String(timeoutMs))
      return true
    } catch (err) {
      if (err instanceof NetnsCommandError) return false
      throw err
    }
  }

  /**
   * Counts the TCP connections opened to `dst:port` (any port when omitted) from `src` as this namespace receives them (SYNs, by a
   * target-less iptables rule in INPUT): how the test sees which address a node's connection came from
   * without asking the node.
   */
  async countConnections (src: string, dst: string, port?: number): Promise<() => Promise<number>> {
    const tag = `pl-count-${src}-${dst}-${port ?? 'any'}`
    await this.exec('iptables', '-I', 'INPUT', '-p', 'tcp', '--syn', '-s', src, '-d', dst, ...(port === undefined ? [] : ['--dport', String(port)]), '-m', 'comment', '--comment', tag)
    return async () => {
      const listing = await this.exec('iptables', '-nvxL', 'INPUT')
      const line = listing.split('\n').find((l) => l.includes(`/* ${tag} */`))
      if (line === undefined) throw new NetnsCommandError(['iptables', '-nvxL', 'INPUT'], `no rule ${tag}`)
      return Number(line.trim().split(/\s+/)[0])
    }
  }

  /** Port `port` of this router's `wan` address forwarded to `to` on the LAN (what a UPnP mapping adds). */
  async forwardPort (wan: string, port: number, to: string): Promise<void> {
    await this.exec('iptables', '-t', 'nat', '-A', 'PREROUTING', '-i', wan, '-p', 'tcp', '--dport', String(port), '-j', 'DNAT', '--to-destination', `${to}:${port}`)
  }

  /** Nothing forwarded from the LAN to `dst` (a home network that blocks one host): only other paths reach it. */
  async blockForwardTo (dst: string): Promise<void> {
    await this.exec('iptables', '-A', 'FORWARD', '-d', dst, '-j', 'REJECT')
  }

  /** A router: forwards, and rewrites what leaves by `wan` to the address of `wan` (home NAT). */
  async masquerade (wan: string): Promise<void> {
    await this.exec('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
    await this.exec('iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', wan, '-j', 'MASQUERADE')
  }

  /**
   * Starts `command ARGS` inside the namespace, in its own process group (killed whole at teardown), its
   * output into `opts.log`. `ip netns exec` execs the command in place, so the pid and the IPC channel
   * are the command's own.
   */
  spawn (command: string, args: string[], opts: SpawnInOptions): ChildProcess {
    const fd = openSync(opts.log, 'a')
    let child: ChildProcess
    try {
      const spawnOptions: SpawnOptions = {
        detached: true,
        stdio: ['ignore', fd, fd, ...(opts.ipc === false ? [] : ['ipc' as const])],
        env: opts.env ?? process.env
      }
      child = spawn('ip', ['netns', 'exec', this.name, command, ...args], spawnOptions)
    } finally {
      closeSync(fd)
    }
    children.add(child)
    child.once('exit', () => { children.delete(child) })
    return child
  }
}

/** Stops a child started by Namespace.spawn: SIGTERM, then SIGKILL to its group after `graceMs`. */
export async function stopChild (child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const timer = setTimeout(() => { killTree(child) }, graceMs)
    await exited
    clearTimeout(timer)
  }
  killTree(child)
  children.delete(child)
}

export interface NamespaceSet {
  /** Makes a namespace with its loopback up, named `pl-<pid>-<n>`. */
  create (): Promise<Namespace>
  /** A veth pair from `a` (interface `aDev`) to `b` (interface `bDev`), made inside them, both up. */
  link (a: Namespace, aDev: string, b: Namespace, bDev: string): Promise<void>
  /** Every process started in these namespaces killed, every namespace deleted. Safe to call twice. */
  destroy (): Promise<void>
}

export async function namespaces (): Promise<NamespaceSet> {
  installExitHooks()
  await removeOrphans()
  const mine: Namespace[] = []
  return {
    async create () {
      const ns = new Namespace(`${prefix}${process.pid}-${counter++}`)
      await ip('netns', 'add', ns.name)
      live.add(ns.name)
      mine.push(ns)
      await ns.up('lo')
      return ns
    },
    async link (a, aDev, b, bDev) {
      // Made inside `a` with its peer put straight into `b`: the pair never appears among the host's interfaces.
      await a.ip('link', 'add', aDev, 'type', 'veth', 'peer', 'name', bDev, 'netns', b.name)
      await a.up(aDev)
      await b.up(bDev)
    },
    async destroy () {
      const names = new Set(mine.map((n) => n.name))
      await Promise.all([...children].filter((c) => names.has(String(c.spawnargs[3]))).map(async (c) => { await stopChild(c, 2_000) }))
      for (const ns of mine.splice(0)) {
        await ip('netns', 'del', ns.name).catch(() => {})
        live.delete(ns.name)
      }
    }
  }
}

/** Whether a namespace of that name exists (for the test that teardown removed them). */
export async function namespaceExists (name: string): Promise<boolean> {
  const list = await run('ip', ['netns', 'list']).then((r) => r.stdout, () => '')
  return list.split('\n').some((line) => line.split(' ')[0] === name)
}

/** The addresses of the test's network: documentation ranges only (RFC 5737). */
export const natAddresses = {
  /** The "internet": public as far as the test's nodes know (test/support/public-internet-range.mjs). */
  internet: '203.0.113.0/24',
  chain: '203.0.113.2',
  witness: '203.0.113.3',
  agency: '203.0.113.10',
  relay: '203.0.113.20',
  routerA: '203.0.113.101',
  routerB: '203.0.113.102',
  /** Home A's LAN, 192.0.2.0/24: the router .1, the resident's box .2. */
  homeA: { router: '192.0.2.1', resident: '192.0.2.2', prefix: 24 },
  /** Home B's LAN, 198.51.100.0/24. */
  homeB: { router: '198.51.100.1', resident: '198.51.100.2', prefix: 24 }
} as const

export interface NatTopology {
  set: NamespaceSet
  /** The internet's switch (a bridge), and the host of the chain and the witness, each on its own address. */
  internet: Namespace
  /** The agency's host and the relay's, on the internet. */
  agencyHost: Namespace
  relayHost: Namespace
  routerA: Namespace
  homeA: Namespace
  routerB: Namespace
  homeB: Namespace
  destroy (): Promise<void>
}

/**
 * The issue's network: an "internet" (a bridge holding the chain's and the witness's addresses, and the
 * agency's and the relay's hosts and the routers' WAN sides as ports), two home routers that MASQUERADE
 * their LAN behind their WAN address, and one home box behind each whose default route is its router. The
 * internet has no route to either LAN, as a real one has none. The agency and the relay get namespaces of
 * their own so that what they dial leaves from their own address (in one namespace every outgoing
 * connection would leave from the bridge's first address).
 */
export async function buildNatTopology (): Promise<NatTopology> {
  const set = await namespaces()
  try {
    const internet = await set.create()
    await internet.ip('link', 'add', 'br0', 'type', 'bridge')
    await internet.up('br0')
    for (const host of [natAddresses.chain, natAddresses.witness]) await internet.addAddress('br0', `${host}/24`)
    const attach = async (ns: Namespace, port: string, dev: string, address: string): Promise<void> => {
      await set.link(internet, port, ns, dev)
      await internet.ip('link', 'set', port, 'master', 'br0')
      await ns.addAddress(dev, `${address}/24`)
    }
    const server = async (address: string, port: string): Promise<Namespace> => {
      const host = await set.create()
      await attach(host, port, 'eth0', address)
      return host
    }
    const home = async (wanAddress: string, lan: { router: string, resident: string, prefix: number }, port: string): Promise<[Namespace, Namespace]> => {
      const router = await set.create()
      const box = await set.create()
      await attach(router, port, 'wan', wanAddress)
      await set.link(router, 'lan', box, 'eth0')
      await router.addAddress('lan', `${lan.router}/${lan.prefix}`)
      await router.masquerade('wan')
      await box.addAddress('eth0', `${lan.resident}/${lan.prefix}`)
      await box.ip('route', 'add', 'default', 'via', lan.router)
      return [router, box]
    }
    const agencyHost = await server(natAddresses.agency, 'to-agency')
    const relayHost = await server(natAddresses.relay, 'to-relay')
    const [routerA, homeA] = await home(natAddresses.routerA, natAddresses.homeA, 'to-a')
    const [routerB, homeB] = await home(natAddresses.routerB, natAddresses.homeB, 'to-b')
    return { set, internet, agencyHost, relayHost, routerA, homeA, routerB, homeB, destroy: async () => { await set.destroy() } }
  } catch (err) {
    await set.destroy()
    throw err
  }
}
