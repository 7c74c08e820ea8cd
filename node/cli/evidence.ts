// `porchlight evidence …`: an agency's evidence packages (docs/evidence.md). `export` asks the running node
// (which logs an `access` with purpose `export` per clip before decrypting it); `verify` needs nothing but
// the file: no node, no network, no config.
import { open, readFile, rm } from 'node:fs/promises'
import { Option, type Command } from '@commander-js/extra-typings'
import { isPorchlightError } from '../../protocol/errors.js'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'
import { verifyEvidence } from '../evidence/verify.js'

/** Writes the package into a new file (never over an existing one); a refusal removes the empty file. */
async function exportPackage (dir: string, id: string, out: string): Promise<unknown> {
  const handle = await open(out, 'wx', 0o600)
  try {
    const res = await (await NodeApiClient.forDir(dir)).fetch('POST /api/evidence/:id', { params: { id }, body: { data: new TextEncoder().encode('{}'), contentType: 'application/json' } })
    const archive = new Uint8Array(await res.arrayBuffer())
    await handle.writeFile(archive)
    await handle.sync()
    const access = res.headers.get('x-porchlight-export-access') ?? ''
    return { id, out, bytes: archive.length, exportAccess: access === '' ? [] : access.split(',').map(Number) }
  } catch (err) {
    await handle.close()
    await rm(out, { force: true })
    throw err
  } finally {
    await handle.close().catch(() => {})
  }
}

export function addEvidenceCommand (program: Command): void {
  const evidence = program.command('evidence')
    .summary('export an evidence package from an agency node, or verify one offline')
    .description('Evidence packages: one zip with the clips (as received and decrypted), the signed request, consents and ' +
      'receipts, the log entries with inclusion proofs, the witnessed checkpoint, the anchor transactions, a chain-of-custody ' +
      'report and a hash certification statement, all listed in a manifest the agency signs.')
  evidence.command('export')
    .summary('write the evidence package of a request or a delivery (logs an access with purpose `export` per clip)')
    .argument('<id>', 'a request id, or a delivery\'s consent id')
    .addOption(new Option('--dir <dir>', 'the agency node\'s directory (the node must be running)').makeOptionMandatory())
    .requiredOption('--out <file>', 'the zip to write (must not exist)')
    .action(act(async (id, o) => {
      console.log(JSON.stringify(await exportPackage(o.dir, id, o.out)))
      return 0
    }))
  evidence.command('verify')
    .summary('check every item of an evidence package offline; names the first that fails (exit 1)')
    .argument('<file>', 'the package (zip)')
    .action(act(async (file) => {
      const archive = new Uint8Array(await readFile(file))
      try {
        const verified = verifyEvidence(archive)
        const m = verified.manifest
        console.log(JSON.stringify({ ok: true, caseCode: m.caseCode, request: m.request, agency: m.agency, chainId: m.chainId, items: m.items.length, checks: verified.checks, onChain: verified.onChain }))
        return 0
      } catch (err) {
        if (!isPorchlightError(err)) throw err
        console.log(JSON.stringify({ ok: false, name: err.name, code: err.code, ...err.details }))
        console.error(`porchlight evidence verify: ${err.name} (${err.code}): ${err.message}`)
        return 1
      }
    }))
}
