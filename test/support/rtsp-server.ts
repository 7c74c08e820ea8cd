// Starts test/support/rtsp-server.py (GStreamer's RTSP server, a synthetic H.264 camera) for a test: on port
// 0 the first time, then stop/restart on the SAME port (a camera that drops out and comes back), and stopped in
// `t.after` whatever the test did. Needs Debian's python3-gi and gir1.2-gst-rtsp-server-1.0 (.ci/run installs
// them) and runs /usr/bin/python3, since a pyenv python on PATH has no gi.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./rtsp-server.py', import.meta.url))

export interface RtspServerOptions {
  /** @default 0 (a free port) */
  port?: number
  /** @default 640 × 360 */
  width?: number
  height?: number
  /** @default 15 */
  fps?: number
  /** Seconds between keyframes. @default 1 */
  keyint?: number
  /** kbit/s. @default 1000 */
  bitrate?: number
  /** Require basic auth with these. */
  user?: string
  password?: string
  /** @default '/cam' */
  path?: string
}

export class RtspTestServer {
  readonly #options: RtspServerOptions
  #child: ChildProcess | undefined
  #port = 0

  private constructor (options: RtspServerOptions) {
    this.#options = options
  }

  /** Starts a server and stops it when the test ends (also on failure). */
  static async start (t: { after: (fn: () => Promise<void>) => void }, options: RtspServerOptions = {}): Promise<RtspTestServer> {
    const server = new RtspTestServer(options)
    t.after(async () => { await server.stop() })
    await server.#spawn(options.port ?? 0)
    return server
  }

  get port (): number {
    return this.#port
  }

  /** The stream's URL, with the server's credentials unless others are given (`{ user, password }` or `null` for none). */
  url (credentials?: { user: string, password: string } | null): string {
    const c = credentials === undefined ? (this.#options.user === undefined ? null : { user: this.#options.user, password: this.#options.password ?? '' }) : credentials
    const auth = c === null ? '' : `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@`
    return `rtsp://${auth}127.0.0.1:${this.#port}${this.#options.path ?? '/cam'}`
  }

  /** The camera goes away: the server process ends and every connection with it. */
  async stop (): Promise<void> {
    const child = this.#child
    this.#child = undefined
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }

  /** The camera comes back on the same address (retried while the port is still held by the last run). */
  async restart (): Promise<void> {
    await this.stop()
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#spawn(this.#port)
        return
      } catch (err) {
        if (attempt >= 20) throw err
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
  }

  async #spawn (port: number): Promise<void> {
    const o = this.#options
    const args = [script, '--port', String(port)]
    for (const [flag, value] of [['--width', o.width], ['--height', o.height], ['--fps', o.fps], ['--keyint', o.keyint], ['--bitrate', o.bitrate], ['--user', o.user], ['--password', o.password], ['--path', o.path]] as const) {
      if (value !== undefined) args.push(flag, String(value))
    }
    // stdin a pipe: the server quits when this process dies, even by SIGKILL.
    const child = spawn('/usr/bin/python3', args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const lines = createInterface({ input: child.stdout })
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => line as string),
      once(child, 'exit').then(() => undefined)
    ])
    const answer = first === undefined ? {} : JSON.parse(first) as { port?: number, error?: string }
    if (answer.port === undefined) {
      child.kill('SIGKILL')
      throw new Error(`rtsp-server.py did not start: ${answer.error ?? stderr}`)
    }
    this.#child = child
    this.#port = answer.port
  }
}
