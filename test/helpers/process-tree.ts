// The processes a test started, and everything they started in turn, read from Linux /proc: a demo's
// children run in process groups of their own, so neither the group nor exit events cover them.
import { readFile, readdir } from 'node:fs/promises'

/** Each running process's children, by parent pid. */
async function childrenByParent (): Promise<Map<number, number[]>> {
  const parents = new Map<number, number[]>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    if (stat === '') continue
    // The command name (2nd field) is in parentheses and may hold spaces: fields after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
  }
  return parents
}

/** The processes whose parent is `pid`. */
export async function childrenOf (pid: number): Promise<number[]> {
  return (await childrenByParent()).get(pid) ?? []
}

/** The processes whose parent is `pid` and whose command name (/proc/<pid>/comm) is `name`. */
export async function childrenNamed (pid: number, name: string): Promise<number[]> {
  const found: number[] = []
  for (const child of await childrenOf(pid)) {
    if ((await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '')).trim() === name) found.push(child)
  }
  return found
}

/** Every process below `pid` (children, their children, …). */
export async function descendantsOf (pid: number): Promise<number[]> {
  const parents = await childrenByParent()
  const found: number[] = []
  const walk = (p: number): void => { for (const c of parents.get(p) ?? []) { found.push(c); walk(c) } }
  walk(pid)
  return found
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * The pids of `pids` still running after `timeoutMs`. Polls: processes that are not our children give no
 * exit event to await.
 */
export async function stillRunning (pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  return pids.filter(isAlive)
}

/** SIGKILL to each pid (and its process group, when it leads one); for clean-up after a failed test. */
export function killAll (pids: number[]): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try { process.kill(target, 'SIGKILL') } catch { /* gone already, or not a group leader */ }
    }
  }
}
