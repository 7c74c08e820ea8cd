// A real MQTT broker for a test: Debian's mosquitto on a loopback port. mosquitto cannot listen on port 0,
// so a free port is picked (bound and released) and the broker retried on another when it loses the race
// ("Address already in use"). `restart()` brings it back on the same port (a broker that went away and
// came back). The caller stops it in `t.after`; the temp dir goes with it.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { existsSync } from 'node:fs'

const run = promisify(execFile)

/** Where mosquitto is (Debian puts it in /usr/sbin, which is not on every PATH). */
export function mosquittoPath (): string | undefined {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']) if (existsSync(p)) return p
  return undefined
}

export interface Mosquitto {
  port: number
  url: string
  /** Stops the broker (the port stays this broker's to restart on). */
  kill (): Promise<void>
  /** Starts it again on the same port. */
  restart (): Promise<void>
  /** Stops it and removes its files. */
  stop (): Promise<void>
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  server.close()
  await once(server, 'close')
  return port
}

/** Resolves once the broker listens; rejects with `inUse` when the port was taken. */
async function launch (bin: string, conf: string): Promise<ChildProcess> {
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      // mosquitto 2 logs "… mosquitto version X running" once its listeners are open (on stderr: its stdout
      // is block-buffered into a pipe, so the line would not come until it exits).
      if (/running/.test(out)) { cleanup(); resolve() }
    }
    const onExit = (): void => { cleanup(); reject(Object.assign(new Error(`mosquitto exited: ${out}`), { inUse: /in use/i.test(out) })) }
    const cleanup = (): void => { child.stdout.off('data', onData); child.stderr.off('data', onData); child.off('exit', onExit) }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', onExit)
  })
  return child
}

async function end (child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
}

/** A broker on 127.0.0.1; with `users`, anonymous clients are refused and these name/password pairs admitted. */
export async function startMosquitto (opts: { users?: Record<string, string> } = {}): Promise<Mosquitto> {
  const bin = mosquittoPath()
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto)')
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-mosquitto-'))
  try {
    let auth = 'allow_anonymous true\n'
    if (opts.users !== undefined) {
      const passwd = join(dir, 'passwd')
      await writeFile(passwd, '', { mode: 0o600 })
      for (const [user, pass] of Object.entries(opts.users)) await run('mosquitto_passwd', ['-b', passwd, user, pass])
      // Started as root, mosquitto drops to the `mosquitto` user, which cannot read a 0600 file in our 0700
      // temp dir: `user root` keeps it as it was started (ignored when not started as root).
      auth = `allow_anonymous false\npassword_file ${passwd}\nuser root\n`
    }
    let port = 0
    let child: ChildProcess | undefined
    const conf = join(dir, 'mosquitto.conf')
    for (let tries = 0; child === undefined; tries++) {
      port = await freePort()
      await writeFile(conf, `listener ${port} 127.0.0.1\n${auth}persistence false\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n`)
      try {
        child = await launch(bin, conf)
      } catch (err) {
        if (!(err as { inUse?: boolean }).inUse || tries >= 5) throw err
      }
    }
    const broker: Mosquitto = {
      port,
      url: `mqtt://127.0.0.1:${port}`,
      kill: async () => { await end(child); child = undefined },
      restart: async () => { await end(child); child = await launch(bin, conf) },
      stop: async () => { await end(child); child = undefined; await rm(dir, { recursive: true, force: true }) }
    }
    return broker
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}
