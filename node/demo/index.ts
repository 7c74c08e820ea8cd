export {
  startDemo, demoPaths, uiAddress, defaultDemoDir, sampleClipsPerResident, DemoStepError,
  type DemoOptions, type DemoInfo, type DemoNodeInfo, type RunningDemo
} from './demo.js'
export { demoPlan, type DemoPlan, type DemoNodePlan } from './plan.js'
export { missingLinks, type MeshNode, type MissingLink } from './mesh.js'
export { demoTown, demoResidents, type DemoTown, type DemoAgencyPlan, type DemoResidentPlan, type LatLng } from './town.js'
export { DemoChildren, ChildFailedError, ChildTimeoutError, DemoChildrenClosedError, porchlightBin, type ManagedChild, type StartOptions } from './children.js'
export { makeSampleClip, sampleClipFilter, sampleClipSeconds, SampleClipError } from './sample-clips.js'
