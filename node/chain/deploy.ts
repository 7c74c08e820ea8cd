// Deploys AgencyRegistry and AuditAnchor and binds them. The signer becomes the council: admin and
// registrar of the registry.
import { ContractFactory, type Signer } from 'ethers'
import { agencyRegistryArtifact, auditAnchorArtifact } from './artifacts.js'
import type { ContractAddresses } from './deployment.js'

export interface DeployedContracts {
  contracts: ContractAddresses
  /** The block of the last deployment transaction. */
  deployBlock: number
  /** Gas used by each step, from the receipts. */
  gasUsed: { AgencyRegistry: number, AuditAnchor: number, bind: number }
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
  return {
    contracts: { AgencyRegistry: registryAddress, AuditAnchor: anchorAddress },
    deployBlock: bindReceipt!.blockNumber,
    gasUsed: {
      AgencyRegistry: Number(registryReceipt!.gasUsed),
      AuditAnchor: Number(anchorReceipt!.gasUsed),
      bind: Number(bindReceipt!.gasUsed)
    }
  }
}
