// A share's state in words, as the inbox (per clip) and the Shares tab both say it.
import type { ShareRow } from '../api/types.js'
import { formatTime } from '../components/time.js'

export interface ShareStateWords {
  label: string
  state: 'ok' | 'pending' | 'fail'
  /** A short machine-readable name of the state (`data-share-state`), for tests and styles. */
  key: 'pending' | 'delivering' | 'delivered' | 'failed' | 'withdrawn' | 'deletion-requested' | 'deleted'
}

export function shareStateWords (share: Pick<ShareRow, 'state' | 'deletion' | 'error' | 'anchored' | 'progress'>): ShareStateWords {
  if (share.deletion?.deletedAt !== undefined) return { key: 'deleted', state: 'ok', label: `deleted by the agency at ${formatTime(share.deletion.deletedAt, { seconds: true })}` }
  if (share.deletion?.requestedAt !== undefined) return { key: 'deletion-requested', state: 'pending', label: 'deletion requested' }
  switch (share.state) {
    case 'pending': return { key: 'pending', state: 'pending', label: 'pending' }
    case 'sending': return { key: 'delivering', state: 'pending', label: share.progress !== undefined && share.progress.total > 0 ? `delivering ${Math.floor(100 * share.progress.sent / share.progress.total)} %` : 'delivering' }
    case 'delivered': return { key: 'delivered', state: 'ok', label: share.anchored ? 'delivered, receipt publicly anchored' : 'delivered, receipt logged' }
    case 'failed': return { key: 'failed', state: 'fail', label: `failed: ${share.error?.message ?? 'unknown'}` }
    case 'withdrawn': return { key: 'withdrawn', state: 'fail', label: 'withdrawn' }
  }
}

/** `89 d 23 h 59 min 58 s`: a countdown to a deadline months away still moves while it is watched. */
export function countdown (seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const parts = [[Math.floor(s / 86_400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']] as const
  const first = parts.findIndex(([n]) => n > 0)
  return first === -1 ? '0 s' : parts.slice(first).map(([n, u]) => `${n} ${u}`).join(' ')
}
