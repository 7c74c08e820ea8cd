// One embedded chain with a registered agency per test file (startRegisteredAgency), as node:test hooks; kept
// apart from resident-network.ts, which the bench imports too, so that only test files load node:test.
import { after, before } from 'node:test'
import type { ChainEndpoint } from '../../node/config/index.js'
import type { ChainFixture } from './chain.js'
import type { TestAgency } from './announcements.js'
import { startRegisteredAgency } from './resident-network.js'

/** startRegisteredAgency() once for the test file: started before its first test, stopped after its last. */
export function registeredAgencyPerFile (): { readonly fixture: ChainFixture, readonly endpoint: ChainEndpoint, readonly agency: TestAgency } {
  let world: Awaited<ReturnType<typeof startRegisteredAgency>> | undefined
  before(async () => { world = await startRegisteredAgency() })
  after(async () => { await world?.fixture.stop() })
  const get = (): NonNullable<typeof world> => world ?? assertStarted()
  return { get fixture () { return get().fixture }, get endpoint () { return get().endpoint }, get agency () { return get().agency } }
}

function assertStarted (): never {
  throw new Error('registeredAgencyPerFile: read inside a test, after its before hook')
}

