// Who is in the demo: two agencies, the residents, one auditor and three witnesses (the council asks for two
// cosignatures, so one witness can stop and nothing breaks), each with the folder it lives in under
// `<demo dir>/nodes/`. The order is the order of the printed lines and of demo.json's `nodes`.
import type { Camera, Role } from '../config/index.js'
import { demoResidents, demoTown, type DemoTown } from './town.js'

export interface DemoNodePlan {
  /** The node's folder name under `<demo dir>/nodes/`. */
  slug: string
  role: Role
  name: string
  /** Agencies: their index in `town.agencies`. Residents: the agency whose jurisdiction they are in. */
  agency?: number
  cameras?: Camera[]
  /** Residents: inside the sample request's area. */
  inArea?: boolean
}

export interface DemoPlan {
  town: DemoTown
  nodes: DemoNodePlan[]
  /** Cosignatures from distinct witnesses a checkpoint needs (the council sets it). */
  witnessQuorum: number
}

/**
 * The witnesses' names: a witness's node name is its signed-note key name, so no spaces (C2SP). Each is
 * run by a different body of the town, as a real council would pick them.
 */
export const demoWitnesses = ['boulder-public-library.demo/witness', 'cu-boulder-law-clinic.demo/witness', 'boulder-daily-camera.demo/witness'] as const

export function demoPlan (residents: number): DemoPlan {
  const town = demoTown()
  return {
    town,
    nodes: [
      { slug: 'agency-north', role: 'agency', name: town.agencies[0].name, agency: 0 },
      { slug: 'agency-south', role: 'agency', name: town.agencies[1].name, agency: 1 },
      ...demoResidents(town, residents).map((r, i): DemoNodePlan => ({
        slug: `resident-${i + 1}`, role: 'resident', name: r.name, agency: r.agency, cameras: r.cameras, inArea: r.inArea
      })),
      { slug: 'auditor', role: 'auditor', name: 'Boulder Open Records auditor (demo)' },
      ...demoWitnesses.map((name, i): DemoNodePlan => ({ slug: `witness-${i + 1}`, role: 'witness', name }))
    ],
    witnessQuorum: 2
  }
}
