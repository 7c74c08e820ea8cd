// What a consent will send of each clip, shown before the resident signs it (issue 19, "delivery
// metadata"): its recorded span, length, media type and the camera label, which the resident may edit or
// drop. The label starts as the camera's name — the name the resident gave it — because it helps the
// agency tell clips apart; a name can say more than meant (a surname, "Kids' room"), hence the choice.
import { useEffect, useState } from 'preact/hooks'
import type { ClipView, ConsentRange } from '../api/types.js'
import { fmtBytes, short } from '../components/ui.js'
import { formatDuration, formatSpan } from '../components/time.js'
import { LIMITS, consentLabel } from '../../../protocol/index.js'

/** What POST /api/inbox/:id/consent takes beside the CIDs: the labels by CID and the ranges with theirs. */
export interface LabelledConsent {
  labels: Record<string, string | null>
  ranges: ConsentRange[]
}

/** Per row (a CID, or `range:<n>`): the label typed, or null when dropped; absent, the camera's name. */
type Choices = Record<string, string | null>

function toConsent (choices: Choices, clips: readonly ClipView[], ranges: readonly ConsentRange[]): LabelledConsent {
  const labels: Record<string, string | null> = {}
  for (const c of clips) if (choices[c.cid] !== undefined) labels[c.cid] = choices[c.cid]!
  return { labels, ranges: ranges.map((r, i) => choices[`range:${i}`] === undefined ? r : { ...r, label: choices[`range:${i}`]! }) }
}

export function ClipLabels ({ clips, ranges, onChange }: { clips: readonly ClipView[], ranges: readonly ConsentRange[], onChange: (consent: LabelledConsent) => void }) {
  const [choices, setChoices] = useState<Choices>({})
  // Mounted with the confirmation: each time it opens, every label starts as its camera's name again.
  useEffect(() => { onChange(toConsent(choices, clips, ranges)) }, [choices])
  const rows = [
    ...clips.map((c) => ({ key: c.cid, camera: c.camera, start: c.start, end: c.end, mediaType: c.contentType, what: `${fmtBytes(c.size)}, clip ${short(c.cid)}` })),
    ...ranges.map((r, i) => ({ key: `range:${i}`, camera: r.camera, start: r.from, end: r.to, mediaType: 'video/mp4', what: 'cut on this node when you send' }))
  ]
  const set = (key: string, value: string | null): void => { setChoices((old) => ({ ...old, [key]: value })) }
  return (
    <table class='table clip-labels' aria-describedby='clip-labels-note'>
      <caption>What is sent with each clip</caption>
      <thead><tr><th scope='col'>Recorded</th><th scope='col'>Length</th><th scope='col'>Media type</th><th scope='col'>Camera label</th></tr></thead>
      <tbody>{rows.map((row) => {
        const choice = choices[row.key]
        const sent = consentLabel(choice, row.camera)
        return (
          <tr key={row.key} data-clip={row.key}>
            <td>{formatSpan(row.start, row.end)}<br /><span class='muted'>{row.what}</span></td>
            <td>{formatDuration(row.end - row.start)}</td>
            <td><code>{row.mediaType}</code></td>
            <td>
              <label>Label for {row.camera} <input value={choice === null ? '' : sent} disabled={choice === null} maxLength={LIMITS.consent.maxCameraLabelChars}
                onInput={(e) => { set(row.key, (e.target as HTMLInputElement).value) }} /></label>
              <label class='check'><input type='checkbox' checked={choice === null} onChange={(e) => { set(row.key, (e.target as HTMLInputElement).checked ? null : row.camera) }} /> Send no label</label>
              <span class='muted' data-sent-label>{sent === '' ? 'sent without a label' : `sent as “${sent}”`}</span>
            </td>
          </tr>
        )
      })}</tbody>
      <tfoot><tr><td colSpan={4} id='clip-labels-note' class='muted'>The agency sees these in the signed consent, never in its public log. The label starts as your camera's name: change it or drop it if that name says more than you want to share.</td></tr></tfoot>
    </table>
  )
}
