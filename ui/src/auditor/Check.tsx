// Paste one receipt or one log entry with its proof; everything is checked in this browser.
import { useState } from 'preact/hooks'
import type { Domain } from '../../../protocol/index.js'
import { ErrorNote } from '../components/ui.js'
import { checkEvidence, type EvidenceResult } from '../verify/evidence.js'

export function Check ({ chainId, knownAgencies }: { chainId?: number, knownAgencies: string[] }) {
  const [text, setText] = useState('')
  // A receipt's EIP-712 domain names the AgencyRegistry contract, which the report does not carry.
  const [registry, setRegistry] = useState('')
  const domain: Domain | undefined = chainId !== undefined && /^0x[0-9a-fA-F]{40}$/.test(registry) ? { chainId, verifyingContract: registry } : undefined
  const [result, setResult] = useState<EvidenceResult | undefined>()
  const [error, setError] = useState<unknown>()
  function check (e: Event): void {
    e.preventDefault(); setError(undefined); setResult(undefined)
    try {
      setResult(checkEvidence(text, domain))
    } catch (err) {
      setError({ code: 'NOT_EVIDENCE', message: (err as Error).message })
    }
  }
  const registered = result?.agency !== undefined && knownAgencies.some((a) => a.toLowerCase() === result.agency)
  return (
    <section aria-labelledby='check-h'>
      <h2 id='check-h'>Check a receipt or a log entry</h2>
      <form class='form wide' onSubmit={check}>
        <label for='evidence'><span>Evidence (JSON): a signed receipt, <code>{'{ receipt, entry }'}</code>, or <code>{'{ entry, logIndex, checkpoint, proof }'}</code></span></label>
        <textarea id='evidence' rows={10} value={text} spellcheck={false} aria-describedby='check-error' onInput={(e) => { setText((e.target as HTMLTextAreaElement).value) }} />
        <label>AgencyRegistry address (optional: to check a receipt's own signature) <input value={registry} placeholder='0x…' spellcheck={false} onInput={(e) => { setRegistry((e.target as HTMLInputElement).value.trim()) }} /></label>
        <div class='actions'><button type='submit' class='primary' disabled={text.trim() === ''}>Check</button></div>
        <ErrorNote error={error} id='check-error' />
      </form>
      {result !== undefined && (
        <div class={`result ${result.ok ? 'result-ok' : 'result-fail'}`} role='status' data-ok={String(result.ok)}>
          <p><strong>{result.ok ? '✓ Verified' : '✗ Not verified'}</strong>{result.agency !== undefined && <> — log of <code>{result.agency}</code> ({registered ? 'a registered agency' : 'not among the registered agencies listed'})</>}</p>
          <ol>{result.steps.map((s) => <li key={s.label} class={s.ok ? 'ok' : 'bad'}><strong>{s.ok ? '✓' : '✗'} {s.label}</strong> <span class='muted'>{s.detail}</span></li>)}</ol>
        </div>
      )}
    </section>
  )
}
