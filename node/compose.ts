// Builds a role's services from their declared dependencies, in dependency order (Kahn's algorithm, ties in
// declaration order, so the order is the same on every run). A service is handed the node's own parts and
// only the services it named: one it forgot is not there, which fails in its first test rather than in
// production. A missing or cyclic dependency is an error at construction that names the services.
import { PorchlightError } from '../protocol/errors.js'
import type { NodeComponents, NodeService, ServiceSpec } from './service.js'

/** A service needs one the role does not run. */
export class MissingServiceDependencyError extends PorchlightError {
  static override readonly code = 'MISSING_SERVICE_DEPENDENCY'
  static override readonly status = 500
  constructor (service: string, needs: string) {
    super(MissingServiceDependencyError.code, `service "${service}" needs "${needs}", which this node does not run`, { details: { service, needs } })
    this.name = 'MissingServiceDependencyError'
  }
}

/** The services' dependencies go round in a circle. */
export class ServiceDependencyCycleError extends PorchlightError {
  static override readonly code = 'SERVICE_DEPENDENCY_CYCLE'
  static override readonly status = 500
  constructor (services: string[]) {
    super(ServiceDependencyCycleError.code, `services depend on each other in a circle: ${services.join(', ')}`, { details: { services } })
    this.name = 'ServiceDependencyCycleError'
  }
}

/** The names in the order they are built and started: each after every service it needs. */
export function serviceOrder (specs: Readonly<Record<string, Pick<ServiceSpec, 'needs'>>>): string[] {
  const names = Object.keys(specs)
  for (const name of names) {
    for (const need of specs[name]!.needs) {
      if (!Object.hasOwn(specs, need)) throw new MissingServiceDependencyError(name, need)
    }
  }
  const order: string[] = []
  const placed = new Set<string>()
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && specs[n]!.needs.every((d) => placed.has(d)))
    if (next === undefined) throw new ServiceDependencyCycleError(names.filter((n) => !placed.has(n)))
    order.push(next)
    placed.add(next)
  }
  return order
}

export interface BuiltService {
  readonly name: string
  readonly service: NodeService
  readonly spec: ServiceSpec
}

/** Builds every service (none started), in dependency order. */
export function buildServices (specs: Readonly<Record<string, ServiceSpec>>, base: NodeComponents): BuiltService[] {
  const built = new Map<string, NodeService>()
  return serviceOrder(specs).map((name) => {
    const spec = specs[name]!
    const components: NodeComponents & Record<string, unknown> = { ...base }
    for (const need of spec.needs) components[need] = built.get(need)
    const service = spec.create(components)
    built.set(name, service)
    return { name, service, spec }
  })
}
