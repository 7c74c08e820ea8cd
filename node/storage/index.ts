export { openStore, StoreLockedError, SublevelInUseError, InvalidSublevelNameError } from './store.js'
export type { Store, StoreOptions, Sublevel, SublevelOptions, RootLevel } from './store.js'
