// The two items of an evidence package written for people: the chain-of-custody report (HTML, opens in any
// browser, no script, no outside resource) and the hash certification statement in the style of US Federal
// Rule of Evidence 902(14), which a qualified person at the agency completes and signs. Both list the
// items' sha256 values as the manifest does; neither is needed by `evidence verify`, which checks their hashes.
import type { LogEntry, SignedRequest } from '../../protocol/index.js'
import type { AnchorItem, EvidenceManifestBody, ManifestItem } from './package.js'

export interface ReportInput {
  manifest: Omit<EvidenceManifestBody, 'items'>
  request: SignedRequest
  entries: Array<{ index: number, entry: LogEntry }>
  checkpoint: { size: number, root: string, witnesses: string[] }
  anchors: AnchorItem[]
  items: ManifestItem[]
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
/** Every time in UTC, with its zone: a court reads the package far from the agency's time zone. */
export const utc = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')

function describe (e: LogEntry): { what: string, who: string, at?: number } {
  switch (e.kind) {
    case 'request': return { what: `Request issued: ${e.request.message.title} (case ${e.request.message.caseCode})`, who: 'agency', at: e.request.message.issuedAt }
    case 'withdraw': return { what: 'Request withdrawn', who: 'agency', at: e.withdrawal.message.issuedAt }
    case 'delivery': return { what: `Delivery received under consent ${e.consent}: ${e.clips.map((c) => `${c.cid} (${c.size} bytes)`).join(', ')}`, who: 'resident (pseudonymous consent key)', at: e.at }
    case 'access': return { what: `Clip ${e.clip} opened; purpose: ${e.purpose}`, who: e.actor, at: e.at }
    case 'share': return { what: `Clip ${e.clip} shared with ${e.recipient}${e.legalBasis === '' ? '' : `; legal basis: ${e.legalBasis}`}`, who: 'agency', at: e.at }
    case 'delete': return { what: `Clip ${e.clip} deleted (${e.reason})`, who: 'agency', at: e.at }
  }
}

export function custodyReport (input: ReportInput): string {
  const { manifest: m, request, checkpoint } = input
  const rows = input.entries.map(({ index, entry }) => {
    const d = describe(entry)
    return `<tr><td>${index}</td><td>${d.at === undefined ? '' : utc(d.at)}</td><td>${escape(entry.kind)}</td><td>${escape(d.who)}</td><td>${escape(d.what)}</td></tr>`
  }).join('\n')
  const items = input.items.map((i) => `<tr><td><code>${escape(i.path)}</code></td><td>${escape(i.kind)}</td><td>${i.bytes}</td><td><code>${i.sha256}</code></td></tr>`).join('\n')
  const anchors = input.anchors.map((a) => `<tr><td>${a.treeSize}</td><td><code>${a.root}</code></td><td>${a.blockNumber}</td><td><code>${a.transactionHash}</code></td></tr>`).join('\n')
  const clips = m.clips.map((c) => `<tr><td><code>${c.cid}</code></td><td>${escape(c.mediaType)}</td><td>${c.size}</td><td><code>${escape(c.plaintext)}</code></td><td><code>${escape(c.ciphertext)}</code></td></tr>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chain of custody: case ${escape(m.caseCode)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}code{font-size:13px;word-break:break-all}</style>
</head><body>
<h1>Chain of custody — case ${escape(m.caseCode)}</h1>
<p>Exported ${utc(m.createdAt)} by user <strong>${escape(m.exportedBy)}</strong> of the agency <code>${m.agency}</code>
(chain ${m.chainId}, registry <code>${m.registry}</code>). Request <code>${m.request}</code>: “${escape(request.message.title)}”.</p>
<h2>What happened, as the agency's public log records it</h2>
<p>Every row is an entry of the agency's append-only public log, proven (in <code>log/entries.json</code>) to be in the tree
of size ${checkpoint.size} with root <code>${checkpoint.root}</code>, which the agency signed${checkpoint.witnesses.length === 0 ? '' : ` and the witnesses ${checkpoint.witnesses.map(escape).join(', ')} cosigned`}.
Users are named by the pseudonymous ids the agency assigns.</p>
<table><thead><tr><th>Entry</th><th>Time (UTC)</th><th>Kind</th><th>By</th><th>What</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Clips</h2>
<p>Each plaintext file hashes (sha2-256) to its CID, which the resident's signed consent names; each ciphertext is the age file exactly as received.</p>
<table><thead><tr><th>CID</th><th>Media type</th><th>Bytes</th><th>Plaintext</th><th>Ciphertext</th></tr></thead><tbody>
${clips}
</tbody></table>
<h2>Anchors on chain</h2>
<p>Each transaction put the log's root on chain; <code>anchors/anchors.json</code> holds a consistency proof tying it to the tree above, and <code>anchors/&lt;tx&gt;.json</code> the chain's own answers for it.</p>
<table><thead><tr><th>Tree size</th><th>Root</th><th>Block</th><th>Transaction</th></tr></thead><tbody>
${anchors === '' ? '<tr><td colspan="4">None yet: the log had not been anchored past these entries.</td></tr>' : anchors}
</tbody></table>
<h2>Items</h2>
<table><thead><tr><th>File</th><th>What</th><th>Bytes</th><th>sha256</th></tr></thead><tbody>
${items}
</tbody></table>
<h2>How to check this package</h2>
<p><code>porchlight evidence verify &lt;this file&gt;</code> checks every item offline and names the first that fails. It cannot tell
offline whether each anchor's block is on the chain everyone sees: compare the block hashes it prints with any node or block explorer of chain ${m.chainId}.</p>
</body></html>
`
}

export function certificationStatement (input: { manifest: Omit<EvidenceManifestBody, 'items'>, items: ManifestItem[] }): string {
  const { manifest: m } = input
  const list = input.items.map((i) => `${i.sha256.slice(2)}  ${i.path}`).join('\n')
  return `CERTIFICATION OF DATA COPIED FROM AN ELECTRONIC FILE
(in the style of Federal Rule of Evidence 902(14), with the certification of Rule 902(11))

Case: ${m.caseCode}
Request: ${m.request}
Agency: ${m.agency} (chain ${m.chainId}, AgencyRegistry ${m.registry})
Package created: ${utc(m.createdAt)}, exported by user ${m.exportedBy}

I, the undersigned, am a custodian of records of the agency named above, or am otherwise qualified by my
knowledge of the agency's Porchlight node, and I certify:

1. The files listed below were copied from the agency's Porchlight node by its export process on the date
   above. The process decrypted each clip through the node's logged path: the access entries
   ${m.exportAccess.join(', ')} of the agency's public log record this export, by user ${m.exportedBy}.
2. Each file is identified by its SHA-256 hash value, a process of digital identification. A copy whose
   SHA-256 value matches the value listed is identical to the file the node produced.
3. The manifest (manifest.json) lists the same values and is signed with the agency's registered key;
   \`porchlight evidence verify\` recomputes every value and checks the signatures and proofs offline.

SHA-256                                                           File
${list}

I declare under penalty of perjury that the foregoing is true and correct.

Name: ______________________________   Title: ______________________________

Signature: _________________________   Date: _______________________________

This statement is a form for the agency's counsel to adapt; it is not legal advice.
`
}
