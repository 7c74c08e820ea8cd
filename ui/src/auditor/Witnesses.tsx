// The council's witnesses as the auditor read them on chain: the quorum k of n a checkpoint needs, each
// witness, and every change to the set (added, updated, removed, quorum), newest first. A change to who may
// vouch for agencies' logs is public governance: an auditor shows it next to its findings.
import type { WitnessReport } from '../api/types.js'
import { short } from '../components/ui.js'

export function Witnesses ({ report }: { report: WitnessReport | undefined }) {
  if (report === undefined) return <p class='muted'>This auditor's chain has no witness registry.</p>
  const { quorum, set, changes } = report
  return (
    <section aria-labelledby='witnesses-h'>
      <h2 id='witnesses-h'>Witnesses</h2>
      <p class='muted' data-quorum={quorum}>{quorum === 0 ? 'No quorum set: no checkpoint can be accepted.' : `A checkpoint needs ${quorum} of ${set.length} cosignatures.`}</p>
      <div class='scroll'><table class='table' data-witnesses={set.length}>
        <caption class='sr-only'>Registered witnesses</caption>
        <thead><tr><th scope='col'>Name</th><th scope='col'>Verifier key</th><th scope='col'>Reached at</th></tr></thead>
        <tbody>{set.map((w) => (
          <tr key={w.name} data-witness={w.name}>
            <th scope='row'>{w.name}</th>
            <td><code title={w.vkey}>{short(w.vkey, 16)}</code></td>
            <td>{[w.url, w.multiaddr].filter((x) => x !== '').map((x) => <code key={x} title={x}>{short(x, 20)}</code>)}</td>
          </tr>
        ))}</tbody>
      </table></div>
      <h3>Changes</h3>
      <ul class='findings' data-changes={changes.length}>
        {[...changes].reverse().map((c) => (
          <li key={`${c.transactionHash}-${c.kind}-${c.name ?? ''}`} data-change={c.kind}>
            <strong>{c.kind === 'quorum' ? `quorum set to ${c.quorum ?? '?'}` : `${c.name ?? '?'} ${c.kind}`}</strong>
            <span class='muted'> · block {c.blockNumber} · <code title={c.transactionHash}>{short(c.transactionHash)}</code></span>
          </li>
        ))}
      </ul>
    </section>
  )
}
