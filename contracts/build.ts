// Compiles the Solidity sources in-process with the `solc` npm package (solc-js 0.8.37) and writes
// contracts/artifacts/<Name>.json (abi + bytecode). Run: `node --import tsx contracts/build.ts`.
// Source names are relative ("contracts/X.sol", "@openzeppelin/..."), so the output, metadata hash
// included, is the same from any clone and any working directory.
import { readFileSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import solc from 'solc'

// solc-js types its whole API as `any`; these are the two calls made here, as its README documents them.
interface SolcJs {
  compile: (input: string, callbacks: { import: typeof findImport }) => string
  version: () => string
}
const compiler: SolcJs = solc
const require = createRequire(import.meta.url)
const contractsDir = dirname(fileURLToPath(import.meta.url))
const openZeppelinDir = dirname(require.resolve('@openzeppelin/contracts/package.json'))

/**
 * The contracts that get an artifact; interfaces are compiled but their ABIs are part of these.
 * TimelockController is OpenZeppelin's (contracts/Timelock.sol imports it): the council's notice period.
 */
export const contractNames = ['AgencyRegistry', 'AuditAnchor', 'WitnessRegistry', 'TimelockController', 'AnchorRelay'] as const
export type ContractName = typeof contractNames[number]

/** What is committed per contract: enough to deploy and to call it with ethers. */
export interface Artifact {
  contractName: string
  sourceName: string
  compiler: { version: string, settings: CompilerSettings }
  abi: unknown[]
  bytecode: string
  deployedBytecode: string
}

interface CompilerSettings {
  evmVersion: string
  optimizer: { enabled: boolean, runs: number }
}

// OpenZeppelin >= 5.5 uses `mcopy`, so cancun is the floor. Many optimizer runs: the contracts are deployed
// once and called for every anchor, so runtime gas is what counts.
export const compilerSettings: CompilerSettings = { evmVersion: 'cancun', optimizer: { enabled: true, runs: 10_000 } }

export class SolidityCompileError extends Error {
  constructor (readonly errors: string[]) {
    super(`solc failed:\n${errors.join('\n')}`)
    this.name = 'SolidityCompileError'
  }
}

function findImport (path: string): { contents: string } | { error: string } {
  const prefix = '@openzeppelin/contracts/'
  try {
    if (path.startsWith(prefix)) return { contents: readFileSync(join(openZeppelinDir, path.slice(prefix.length)), 'utf8') }
    if (path.startsWith('contracts/')) return { contents: readFileSync(join(contractsDir, path.slice('contracts/'.length)), 'utf8') }
  } catch (err) {
    return { error: (err as Error).message }
  }
  return { error: `import outside contracts/ and @openzeppelin/contracts: ${path}` }
}

interface SolcOutput {
  errors?: Array<{ severity: string, formattedMessage: string }>
  contracts?: Record<string, Record<string, { abi: unknown[], evm: { bytecode: { object: string }, deployedBytecode: { object: string } } }>>
}

/**
 * Compiles `sources` (source name → Solidity text) and returns every contract by name. Imports resolve to
 * contracts/ and node_modules/@openzeppelin/contracts. Throws SolidityCompileError on any error.
 */
export function compileSources (sources: Record<string, string>): Map<string, Artifact> {
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: {
      ...compilerSettings,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } }
    }
  }
  const output = JSON.parse(compiler.compile(JSON.stringify(input), { import: findImport })) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error').map((e) => e.formattedMessage)
  if (errors.length > 0) throw new SolidityCompileError(errors)
  const version = compiler.version()
  const artifacts = new Map<string, Artifact>()
  for (const [sourceName, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [contractName, c] of Object.entries(contracts)) {
      artifacts.set(contractName, {
        contractName,
        sourceName,
        compiler: { version, settings: compilerSettings },
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`
      })
    }
  }
  return artifacts
}

/** Compiles every contracts/*.sol and returns the artifacts of {@link contractNames}. */
export function compileContracts (): Record<ContractName, Artifact> {
  const sources: Record<string, string> = {}
  for (const file of readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[`contracts/${file}`] = readFileSync(join(contractsDir, file), 'utf8')
  }
  const all = compileSources(sources)
  const out: Partial<Record<ContractName, Artifact>> = {}
  for (const name of contractNames) {
    const artifact = all.get(name)
    if (artifact === undefined) throw new SolidityCompileError([`no contract ${name} in contracts/`])
    out[name] = artifact
  }
  return out as Record<ContractName, Artifact>
}

/** The artifact file's exact text: stable key order, two-space indent, final newline. */
export function formatArtifact (artifact: Artifact): string {
  return JSON.stringify(artifact, null, 2) + '\n'
}

export const artifactsDir = join(contractsDir, 'artifacts')

/**
 * Safe's own contracts, copied from @safe-global/safe-smart-account's compiled artifacts rather than compiled
 * here: the Safe deployed on the embedded chain is then byte for byte the audited one on public chains. Only
 * the embedded chain deploys them (a real chain has Safe already); copying keeps the package a dev dependency.
 */
export const safeArtifacts = {
  Safe: 'contracts/Safe.sol/Safe.json',
  SafeProxyFactory: 'contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json'
} as const
export type SafeArtifactName = keyof typeof safeArtifacts

export interface SafeArtifact { contractName: string, sourceName: string, package: string, abi: unknown[], bytecode: string }

/** Safe's artifact as committed: its ABI and creation bytecode, and the package version it came from. */
export function safeArtifact (name: SafeArtifactName): SafeArtifact {
  const root = dirname(require.resolve('@safe-global/safe-smart-account/package.json'))
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
  const built = JSON.parse(readFileSync(join(root, 'build/artifacts', safeArtifacts[name]), 'utf8')) as { contractName: string, sourceName: string, abi: unknown[], bytecode: string }
  return { contractName: built.contractName, sourceName: built.sourceName, package: `@safe-global/safe-smart-account@${version}`, abi: built.abi, bytecode: built.bytecode }
}

/** Compiles and writes contracts/artifacts/<Name>.json; returns the paths written. */
export async function writeArtifacts (): Promise<string[]> {
  const artifacts = compileContracts()
  await mkdir(artifactsDir, { recursive: true })
  const written: string[] = []
  for (const name of contractNames) {
    const path = join(artifactsDir, `${name}.json`)
    await writeFile(path, formatArtifact(artifacts[name]))
    written.push(path)
  }
  for (const name of Object.keys(safeArtifacts) as SafeArtifactName[]) {
    const path = join(artifactsDir, `${name}.json`)
    await writeFile(path, JSON.stringify(safeArtifact(name), null, 2) + '\n')
    written.push(path)
  }
  return written
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of await writeArtifacts()) console.log(`wrote ${path}`)
}
