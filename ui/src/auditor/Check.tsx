// Check one receipt or log entry, everything in this browser: a resident's receipt file (ReceiptFile, opened
// or pasted), a signed receipt with its entry, or an entry with its proof. The chain and registry a receipt's
// signature is checked against are this auditor's own (its report names them), never the file's: a file
// that names others is said to be of another network.
import { useState } from 'preact/hooks'
import type { Domain } from '../../../protocol/index.js'
import { ErrorNote } from '../components/ui.js'
import { checkEvidence, type EvidenceResult } from '../verify/evidence.js'

export function Check ({ chainId, registry, knownAgencies }: { chainId?: number, registry?: string, knownAgencies: string[] }) {
  const [text, setText] = useState('')
  const domain: Domain | undefined = chainId !== undefined && registry !== undefined ? { chainId, verifyingContract: registry } : undefined
  const [result, setResult] = useState<EvidenceResult | undefined>()
  const [error, setError] = useState<unknown>()
  function run (evidence: string): void {
    setError(undefined); setResult(undefined)
    try {
      setResult(checkEvidence(evidence, domain))
    } catch (err) {
      setError({ code: 'NOT_EVIDENCE', message: (err as Error).message })
    }
  }
  function open (e: Event): void {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (file === undefined) return
    file.text().then((t) => { setText(t); run(t) }, (err: unknown) => { setError({ code: 'UNREADABLE_FILE', message: String(err) }) })
  }
  const registered = result?.agency !== undefined && knownAgencies.some((a) => a.toLowerCase() === result.agency)
  return (
    <section aria-labelledby='check-h'>
      <h2 id='check-h'>Check a receipt or a log entry</h2>
      <p class='muted' data-domain={domain === undefined ? 'unknown' : 'known'}>
        {domain === undefined
          ? 'This auditor has not read its chain yet: receipt signatures cannot be checked until its first pass.'
          : <>Receipts are checked against this auditor's chain {domain.chainId} and registry <code class='wrap'>{domain.verifyingContract}</code>.</>}
      </p>
      <form class='form wide' onSubmit={(e) => { e.preventDefault(); run(text) }}>
        <label for='receipt-file'><span>A receipt file a resident exported (<code>porchlight-receipt/1</code>)</span></label>
        <input id='receipt-file' type='file' accept='application/json,.json' onChange={open} />
        <label for='evidence'><span>Or paste evidence (JSON): a receipt file, a signed receipt, <code>{'{ receipt, entry }'}</code>, or <code>{'{ entry, logIndex, checkpoint, proof }'}</code></span></label>
        <textarea id='evidence' rows={8} value={text} spellcheck={false} aria-describedby='check-error' onInput={(e) => { setText((e.target as HTMLTextAreaElement).value) }} />
        <div class='actions'><button type='submit' class='primary' disabled={text.trim() === ''}>Check</button></div>
        <ErrorNote error={error} id='check-error' />
      </form>
      {result !== undefined && (
        <div class={`result ${result.ok ? 'result-ok' : 'result-fail'}`} role='status' data-ok={String(result.ok)}>
          <p><strong>{result.ok ? '✓ Verified' : '✗ Not verified'}</strong>{result.agency !== undefined && <> — log of <code class='wrap'>{result.agency}</code> ({registered ? 'a registered agency' : 'not among the registered agencies listed'})</>}</p>
          <ol>{result.steps.map((s) => <li key={s.label} class={s.ok ? 'ok' : 'bad'}><strong>{s.ok ? '✓' : '✗'} {s.label}</strong> <span class='muted'>{s.detail}</span></li>)}</ol>
        </div>
      )}
    </section>
  )
}
