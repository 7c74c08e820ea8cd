// Deploys Porchlight's contracts: AgencyRegistry and AuditAnchor (bound together), then WitnessRegistry.
// Governed by a council (deployCouncilContracts): a TimelockController whose proposer is the council's Safe
// holds both registries' admin and registrar roles, and the guardian Safe the role that suspends and revokes
// at once. The Safes are deployed by deployEmbeddedCouncil on the embedded chain only; on a real chain they
// exist already (Safe's own factory and web app make them). With no council (deployContracts), the signer
// holds every role: the test-only shortcut for tests of the registries' own rules.
import { Contract, ContractFactory, ZeroAddress, ZeroHash, getAddress, id, type Signer } from 'ethers'
import {
  agencyRegistryArtifact, auditAnchorArtifact, safeArtifact, safeInterface, safeProxyFactoryArtifact, timelockArtifact, witnessRegistryArtifact
} from './artifacts.js'
import type { CouncilAddresses } from './council.js'
import type { ContractAddresses } from './deployment.js'
import { deployAnchorRelay } from './anchor-relay.js'

export interface DeployedContracts {
  contracts: ContractAddresses
  /** The block of the last deployment transaction. */
  deployBlock: number
  /** Gas used by each step, from the receipts. */
  gasUsed: { AgencyRegistry: number, AuditAnchor: number, bind: number, WitnessRegistry: number, AnchorRelay: number, TimelockController?: number }
  /** The council, when the registries are governed by one. */
  council?: CouncilAddresses
}

/** Who holds the registries' roles: `admin` (and registrar) and `guardian` (suspend, revoke). */
export interface RegistryRoles { admin: string, guardian: string }

/** Deploys a WitnessRegistry governed by `admin` (default: the signer; also how an older chain gets one). */
export async function deployWitnessRegistry (deployer: Signer, admin?: string): Promise<{ address: string, blockNumber: number, gasUsed: number }> {
  const factory = new ContractFactory(witnessRegistryArtifact.abi, witnessRegistryArtifact.bytecode, deployer)
  const witnessRegistry = await factory.deploy(admin ?? await deployer.getAddress())
  const receipt = await witnessRegistry.deploymentTransaction()!.wait()
  return { address: await witnessRegistry.getAddress(), blockNumber: receipt!.blockNumber, gasUsed: Number(receipt!.gasUsed) }
}

export async function deployContracts (deployer: Signer, roles?: RegistryRoles): Promise<DeployedContracts> {
  const self = await deployer.getAddress()
  const { admin, guardian } = roles ?? { admin: self, guardian: self }
  const registryFactory = new ContractFactory(agencyRegistryArtifact.abi, agencyRegistryArtifact.bytecode, deployer)
  const registry = await registryFactory.deploy(admin, guardian)
  const registryReceipt = await registry.deploymentTransaction()!.wait()
  const registryAddress = await registry.getAddress()

  const anchorFactory = new ContractFactory(auditAnchorArtifact.abi, auditAnchorArtifact.bytecode, deployer)
  const anchor = await anchorFactory.deploy(registryAddress)
  const anchorReceipt = await anchor.deploymentTransaction()!.wait()
  const anchorAddress = await anchor.getAddress()

  // The deployer binds the AuditAnchor (the registry lets its deployer do this once): the admin may be a
  // timelock, which would otherwise have to schedule it and wait the notice period.
  const bindTx = await registry.getFunction('bindAuditAnchor').send(anchorAddress)
  const bindReceipt = await bindTx.wait()

  const witnesses = await deployWitnessRegistry(deployer, admin)
  // Last, so every other contract keeps the address it had before the relayer path existed.
  const relay = await deployAnchorRelay(deployer)
  return {
    contracts: { AgencyRegistry: registryAddress, AuditAnchor: anchorAddress, WitnessRegistry: witnesses.address, AnchorRelay: relay.address },
    deployBlock: relay.blockNumber,
    gasUsed: {
      AgencyRegistry: Number(registryReceipt!.gasUsed),
      AuditAnchor: Number(anchorReceipt!.gasUsed),
      bind: Number(bindReceipt!.gasUsed),
      WitnessRegistry: witnesses.gasUsed,
      AnchorRelay: relay.gasUsed
    }
  }
}

export interface CouncilDeployOptions {
  /** The council's Safe: proposes (schedules) every change that waits the notice period. */
  safe: string
  /** The guardian Safe: suspends and revokes at once, and cancels a scheduled change. @default safe */
  guardian?: string
  /** The notice period in seconds (days in production; seconds in the demo). */
  noticeSeconds: number
}

/**
 * Deploys the TimelockController and the registries governed by it. The timelock: the council's Safe
 * proposes and cancels; the guardian cancels too (so a bad registration can be stopped during its notice);
 * anyone executes a change whose notice has passed (the Safe's approvals are what authorize it); no admin
 * but the timelock itself, so changing the notice period is itself a change with notice.
 */
export async function deployCouncilContracts (deployer: Signer, opts: CouncilDeployOptions): Promise<DeployedContracts> {
  const self = await deployer.getAddress()
  const safe = getAddress(opts.safe)
  const guardian = getAddress(opts.guardian ?? opts.safe)
  const timelockFactory = new ContractFactory(timelockArtifact.abi, timelockArtifact.bytecode, deployer)
  // The deployer is the timelock's admin only long enough to make the guardian a canceller (DEFAULT_ADMIN_ROLE is 0x00…).
  const timelock = await timelockFactory.deploy(opts.noticeSeconds, [safe], [ZeroAddress], self) as Contract
  const timelockReceipt = await timelock.deploymentTransaction()!.wait()
  const timelockAddress = await timelock.getAddress()
  if (guardian !== safe) await (await timelock.getFunction('grantRole').send(id('CANCELLER_ROLE'), guardian)).wait()
  await (await timelock.getFunction('renounceRole').send(ZeroHash, self)).wait()

  const deployed = await deployContracts(deployer, { admin: timelockAddress, guardian })
  return {
    ...deployed,
    gasUsed: { ...deployed.gasUsed, TimelockController: Number(timelockReceipt!.gasUsed) },
    council: { safe, guardian, timelock: getAddress(timelockAddress), noticeSeconds: opts.noticeSeconds }
  }
}

/** Safe's singleton and proxy factory, deployed on a chain that has none (the embedded chain). */
export async function deploySafeFactory (deployer: Signer): Promise<{ singleton: string, factory: string }> {
  const singleton = await new ContractFactory(safeArtifact.abi, safeArtifact.bytecode, deployer).deploy()
  await singleton.deploymentTransaction()!.wait()
  const factory = await new ContractFactory(safeProxyFactoryArtifact.abi, safeProxyFactoryArtifact.bytecode, deployer).deploy()
  await factory.deploymentTransaction()!.wait()
  return { singleton: await singleton.getAddress(), factory: await factory.getAddress() }
}

/** A new Safe (a proxy of the singleton) with `owners` and `threshold`, as Safe's own factory makes them. */
export async function createSafe (deployer: Signer, safeFactory: { singleton: string, factory: string }, owners: readonly string[], threshold: number, saltNonce: bigint): Promise<string> {
  const setup = safeInterface.encodeFunctionData('setup', [owners, threshold, ZeroAddress, '0x', ZeroAddress, ZeroAddress, 0, ZeroAddress])
  const factory = new Contract(safeFactory.factory, safeProxyFactoryArtifact.abi, deployer)
  const receipt = await (await factory.getFunction('createProxyWithNonce').send(safeFactory.singleton, setup, saltNonce)).wait()
  for (const log of receipt!.logs) {
    const parsed = factory.interface.parseLog(log)
    if (parsed?.name === 'ProxyCreation') return getAddress(parsed.args[0] as string)
  }
  throw new Error('SafeProxyFactory emitted no ProxyCreation')
}

export interface EmbeddedCouncilOptions {
  /** The council's members (owner addresses of both Safes). */
  members: readonly string[]
  /** Approvals the council's Safe needs. */
  threshold: number
  /** Approvals the guardian Safe needs: fewer, because stopping abuse must not wait. */
  guardianThreshold: number
  noticeSeconds: number
}

/** Safe itself, the council's and the guardian's Safes, the timelock and the registries: a whole council on a fresh chain. */
export async function deployEmbeddedCouncil (deployer: Signer, opts: EmbeddedCouncilOptions): Promise<DeployedContracts> {
  const safeFactory = await deploySafeFactory(deployer)
  const safe = await createSafe(deployer, safeFactory, opts.members, opts.threshold, 0n)
  const guardian = await createSafe(deployer, safeFactory, opts.members, opts.guardianThreshold, 1n)
  return await deployCouncilContracts(deployer, { safe, guardian, noticeSeconds: opts.noticeSeconds })
}
