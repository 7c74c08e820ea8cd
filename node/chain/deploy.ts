// Deploys AgencyRegistry and AuditAnchor and binds them, then WitnessRegistry. The signer becomes the
// council: admin and registrar of both registries.
import { ContractFactory, type Signer } from 'ethers'
import { agencyRegistryArtifact, auditAnchorArtifact, witnessRegistryArtifact } from './artifacts.js'
import type { ContractAddresses } from './deployment.js'
import { deployAnchorRelay } from './anchor-relay.js'

export interface DeployedContracts {
  contracts: ContractAddresses
  /** The block of the last deployment transaction. */
  deployBlock: number
  /** Gas used by each step, from the receipts. */
  gasUsed: { AgencyRegistry: number, AuditAnchor: number, bind: number, WitnessRegistry: number, AnchorRelay: number }
}

/** Deploys a WitnessRegistry governed by `council`'s address (also how an older chain gets one). */
export async function deployWitnessRegistry (council: Signer): Promise<{ address: string, blockNumber: number, gasUsed: number }> {
  const factory = new ContractFactory(witnessRegistryArtifact.abi, witnessRegistryArtifact.bytecode, council)
  const witnessRegistry = await factory.deploy(await council.getAddress())
  const receipt = await witnessRegistry.deploymentTransaction()!.wait()
  return { address: await witnessRegistry.getAddress(), blockNumber: receipt!.blockNumber, gasUsed: Number(receipt!.gasUsed) }
}

export async function deployContracts (council: Signer): Promise<DeployedContracts> {
  const admin = await council.getAddress()
  const registryFactory = new ContractFactory(agencyRegistryArtifact.abi, agencyRegistryArtifact.bytecode, council)
  const registry = await registryFactory.deploy(admin)
  const registryReceipt = await registry.deploymentTransaction()!.wait()
  const registryAddress = await registry.getAddress()

  const anchorFactory = new ContractFactory(auditAnchorArtifact.abi, auditAnchorArtifact.bytecode, council)
  const anchor = await anchorFactory.deploy(registryAddress)
  const anchorReceipt = await anchor.deploymentTransaction()!.wait()
  const anchorAddress = await anchor.getAddress()

  const bindTx = await registry.getFunction('bindAuditAnchor').send(anchorAddress)
  const bindReceipt = await bindTx.wait()

  const witnesses = await deployWitnessRegistry(council)
  // Last, so every other contract keeps the address it had before the relayer path existed.
  const relay = await deployAnchorRelay(council)
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
