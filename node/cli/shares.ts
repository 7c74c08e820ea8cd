// `porchlight shares list|show|withdraw|retry|delete-request|history`: the resident's shares through the
// running node's API, the Shares tab's verbs. A verb the share's state does not allow is refused by the
// node with SHARE_STATE, whose message names what is possible now; `list` prints each share's possible
// actions beside its state, so the next step is always on screen.
import type { Command } from '@commander-js/extra-typings'
import { decodeLogEntry, fromHex, type ShareView } from '../../protocol/index.js'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'

const dirOption = ['--dir <dir>', 'the resident node\'s directory (the node must be running)', '.'] as const

/** One line per share: id, state (and deletion), clips, request, what can be done. */
export function shareLine (s: ShareView): string {
  const state = s.deletion?.deletedAt !== undefined
    ? `deleted by the agency at ${new Date(s.deletion.deletedAt * 1000).toISOString()}`
    : s.deletion?.requestedAt !== undefined ? 'deletion requested' : s.state === 'sending' ? `sending ${s.progress.sent}/${s.progress.total} bytes` : s.state
  const actions = s.actions ?? []
  return [s.id, state, `${s.consent.message.clips.length} clip(s)`, `request ${s.consent.message.request}`,
    actions.length === 0 ? 'no action possible' : `possible: ${actions.join(', ')}`].join('  ')
}

export function addSharesCommand (program: Command): void {
  const shares = program.command('shares')
    .summary('list the shares of a resident node, withdraw, retry, or ask the agency to delete')
    .description('The resident node\'s shares (what it consented to and delivered). Each verb prints the share as JSON after it; ' +
      'a verb the share\'s state does not allow exits 1 with SHARE_STATE naming what is possible now.')

  shares.command('list')
    .description('One line per share: id, state, clips, request, and the actions possible now (--json: the API\'s answer).')
    .option(...dirOption)
    .option('--json', 'print the shares as JSON')
    .action(act(async (o) => {
      const { shares: list } = await (await NodeApiClient.forDir(o.dir)).call('GET /api/shares')
      if (o.json === true) console.log(JSON.stringify(list))
      else if (list.length === 0) console.log('no shares')
      else for (const s of list) console.log(shareLine(s))
      return 0
    }))

  for (const [verb, route, what] of [
    ['show', 'GET /api/shares/:id', 'print one share as JSON, with its receipt status'],
    ['withdraw', 'POST /api/shares/:id/withdraw', 'stop a delivery not yet finished, or a failed one (nothing is recorded as delivered)'],
    ['retry', 'POST /api/shares/:id/retry', 'deliver a failed share again, from the first byte'],
    ['delete-request', 'POST /api/shares/:id/delete-request', 'ask the agency to delete a delivered share\'s clips (signed by the consent\'s key; the agency logs a delete entry per clip)']
  ] as const) {
    shares.command(verb)
      .description(what)
      .argument('<share-id>', 'the share (its consent id, as `shares list` prints it)')
      .option(...dirOption)
      .action(act(async (id, o) => {
        const api = await NodeApiClient.forDir(o.dir)
        const share = route === 'GET /api/shares/:id' ? await api.call(route, { params: { id } }) : await api.call(route, { params: { id }, body: {} })
        console.log(JSON.stringify(share))
        return 0
      }))
  }

  shares.command('history')
    .description('What the agency\'s public log says about the share\'s clips since delivery: every access, share and deletion, one a line ' +
      '(read from the agency\'s log and verified by the node; --json: with the proofs).')
    .argument('<share-id>', 'the share')
    .option(...dirOption)
    .option('--json', 'print the entries with their inclusion proofs and the checkpoint')
    .action(act(async (id, o) => {
      const history = await (await NodeApiClient.forDir(o.dir)).call('GET /api/shares/:id/history', { params: { id } })
      if (o.json === true) { console.log(JSON.stringify(history)); return 0 }
      if (history.entries.length === 0) console.log(`nothing logged about these clips since delivery (entries ${history.from}–${history.to - 1})`)
      for (const { index, entry } of history.entries) {
        const e = decodeLogEntry(fromHex(entry))
        const { kind, at, ...rest } = e as unknown as { kind: string, at: number } & Record<string, unknown>
        delete rest.deletionRequest
        console.log(`${index}  ${new Date(at * 1000).toISOString()}  ${kind}  ${Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`)
      }
      if (!history.complete) console.log(`(only the newest entries were read, from ${history.from})`)
      return 0
    }))
}
