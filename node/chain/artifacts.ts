// The compiled contracts, read from contracts/artifacts (written by contracts/build.ts and committed).
import { readFileSync } from 'node:fs'
import { Interface, type InterfaceAbi } from 'ethers'
import { packagePath } from '../package-root.js'

export interface ContractArtifact {
  contractName: string
  abi: InterfaceAbi
  bytecode: string
}

function load (name: string): ContractArtifact {
  return JSON.parse(readFileSync(packagePath(`contracts/artifacts/${name}.json`), 'utf8')) as ContractArtifact
}

export const agencyRegistryArtifact: ContractArtifact = load('AgencyRegistry')
export const auditAnchorArtifact: ContractArtifact = load('AuditAnchor')
export const witnessRegistryArtifact: ContractArtifact = load('WitnessRegistry')
export const anchorRelayArtifact: ContractArtifact = load('AnchorRelay')
/** The council: OpenZeppelin's TimelockController (compiled here) and Safe's own artifacts (copied by contracts/build.ts). */
export const timelockArtifact: ContractArtifact = load('TimelockController')
export const safeArtifact: ContractArtifact = load('Safe')
export const safeProxyFactoryArtifact: ContractArtifact = load('SafeProxyFactory')

export const agencyRegistryInterface = new Interface(agencyRegistryArtifact.abi)
export const auditAnchorInterface = new Interface(auditAnchorArtifact.abi)
export const witnessRegistryInterface = new Interface(witnessRegistryArtifact.abi)
export const anchorRelayInterface = new Interface(anchorRelayArtifact.abi)
export const timelockInterface = new Interface(timelockArtifact.abi)
export const safeInterface = new Interface(safeArtifact.abi)
