// Small building blocks every page uses: badges, inline errors, progress, a confirmation dialog, tabs and
// a hook for loading data. Each is labelled for screen readers and works by keyboard.
import type { ComponentChildren } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { Badge as BadgeData } from '../verify/badges.js'

export const fmtTime = (s: number): string => new Date(s * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const fmtBytes = (n: number): string => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`
export { toLocalInput, fromLocalInput } from './local-input.js'
export const short = (s: string, n = 10): string => s.length <= 2 * n ? s : `${s.slice(0, n)}…${s.slice(-6)}`

export function Badge ({ badge }: { badge: BadgeData }) {
  const mark = badge.state === 'ok' ? '✓' : badge.state === 'fail' ? '✗' : '?'
  return (
    <li class={`badge badge-${badge.state}`} data-state={badge.state} title={badge.detail}>
      <span aria-hidden='true' class='badge-mark'>{mark}</span>
      <span>{badge.label}</span>
      <span class='sr-only'>{badge.state === 'ok' ? ' (verified)' : badge.state === 'fail' ? ' (failed)' : ' (unknown)'}: {badge.detail}</span>
    </li>
  )
}

/** An API error shown next to the control that caused it (role=alert so it is read out). */
export function ErrorNote ({ error, id }: { error: unknown, id?: string }) {
  if (error === undefined || error === null) return null
  const e = error as { code?: string, message?: string }
  // A thrown value with no message is shown as itself only if it is text; an object would read "[object Object]".
  const message = e.message ?? (typeof error === 'string' ? error : 'unexpected error')
  return <p class='error' role='alert' id={id}><strong>{e.code ?? 'Error'}</strong>{' '}{message}</p>
}

export function Progress ({ value, max, label }: { value: number, max: number, label: string }) {
  const pct = max > 0 ? Math.round((value / max) * 100) : 0
  return (
    <div class='progress'>
      <progress value={value} max={max > 0 ? max : 1} aria-label={label} />
      <span>{pct}% {label}</span>
    </div>
  )
}

export function Loading ({ what }: { what: string }) {
  return <p class='muted' role='status' aria-live='polite'>Loading {what}…</p>
}

/** A modal confirmation: the native <dialog> traps focus and closes on Escape. */
export function Confirm ({ title, children, confirmLabel, onConfirm, onCancel, busy }: {
  title: string, children: ComponentChildren, confirmLabel: string, onConfirm: () => void, onCancel: () => void, busy?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d !== null && !d.open) d.showModal()
    return () => { d?.close() }
  }, [])
  return (
    <dialog ref={ref} class='confirm' aria-labelledby='confirm-title' onCancel={(e) => { e.preventDefault(); onCancel() }}>
      <h2 id='confirm-title'>{title}</h2>
      <div class='confirm-body'>{children}</div>
      <div class='actions'>
        <button type='button' onClick={onCancel}>Cancel</button>
        <button type='button' class='primary' onClick={onConfirm} disabled={busy === true}>{confirmLabel}</button>
      </div>
    </dialog>
  )
}

export interface TabDef { id: string, label: string }

export function Tabs ({ tabs, current, onSelect }: { tabs: TabDef[], current: string, onSelect: (id: string) => void }) {
  const onKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : undefined
    if (next === undefined) return
    const tab = tabs[(next + tabs.length) % tabs.length]!
    onSelect(tab.id)
    document.getElementById(`tab-${tab.id}`)?.focus()
  }
  return (
    <nav class='tabs' role='tablist' aria-label='Sections'>
      {tabs.map((t, i) => (
        <button type='button' role='tab' id={`tab-${t.id}`} aria-selected={t.id === current} tabIndex={t.id === current ? 0 : -1}
          aria-controls={`panel-${t.id}`} onClick={() => { onSelect(t.id) }} onKeyDown={(e) => { onKey(e, i) }}>{t.label}</button>
      ))}
    </nav>
  )
}

export function Panel ({ id, children }: { id: string, children: ComponentChildren }) {
  return <section role='tabpanel' id={`panel-${id}`} aria-labelledby={`tab-${id}`} class='panel'>{children}</section>
}

export interface Loaded<T> { data?: T, error?: unknown, loading: boolean, reload: () => void }

/** Loads `load()` now and on reload(); with `everyMs`, again at that interval (live views). */
export function useLoad<T> (load: () => Promise<T>, deps: unknown[], everyMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T, error?: unknown, loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => { setTick((n) => n + 1) }, [])
  useEffect(() => {
    let live = true
    load().then((data) => { if (live) setState({ data, loading: false }) }, (error) => { if (live) setState((s) => ({ ...s, error, loading: false })) })
    return () => { live = false }
  }, [...deps, tick])
  useEffect(() => {
    if (everyMs === undefined) return
    const t = setInterval(reload, everyMs)
    return () => { clearInterval(t) }
  }, [everyMs])
  return { ...state, reload }
}
