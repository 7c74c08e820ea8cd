// The agency's "Export evidence package" for one delivery (docs/evidence.md): asks first, because the export
// opens every clip and each opening is an `access` entry in the public log under the user's id; then hands
// the browser the zip the node made. Verifying the package is `porchlight evidence verify`, offline.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import { Confirm, ErrorNote } from '../components/ui.js'

export function EvidenceExport ({ api, subject, label = 'Export evidence package…' }: { api: ApiClient, subject: string, label?: string }) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [done, setDone] = useState<{ url: string, filename: string, access: number[] } | undefined>()
  // The blob URL holds the whole package in memory: let it go with the component.
  useEffect(() => () => { if (done !== undefined) URL.revokeObjectURL(done.url) }, [done])
  const run = (): void => {
    setBusy(true); setError(undefined)
    api.exportEvidence(subject).then(({ blob, filename, access }) => {
      const url = URL.createObjectURL(blob)
      setDone({ url, filename, access })
      setAsking(false)
      // The download starts at once; the link stays for another copy (without another export).
      const a = document.createElement('a')
      a.href = url
      a.download = filename
      a.click()
    }, setError).finally(() => { setBusy(false) })
  }
  return (
    <div class='evidence-export' data-subject={subject}>
      <button type='button' onClick={() => { setAsking(true) }} disabled={busy}>{label}</button>
      {done !== undefined && (
        <p class='muted' role='status'>
          Exported: <a href={done.url} download={done.filename}>{done.filename}</a> · logged as access entr{done.access.length === 1 ? 'y' : 'ies'} {done.access.join(', ')} (purpose “export”).
        </p>
      )}
      {asking && (
        <Confirm title='Export an evidence package?' confirmLabel={busy ? 'Exporting…' : 'Export and log access'} busy={busy}
          onCancel={() => { setAsking(false) }} onConfirm={run}>
          <p>The package holds every clip of this delivery, encrypted as received and decrypted, with the consent, the receipt, the log entries and their proofs, the anchors, a chain-of-custody report and a hash certification to sign.</p>
          <p>Each clip opened for it is an <strong>access</strong> entry in this agency's public log, with purpose “export” and your user id. Auditors and residents can read it.</p>
          <ErrorNote error={error} />
        </Confirm>
      )}
    </div>
  )
}
