export { clips, ClipsService } from './service.js'
export type { ClipsInit, ClipsEvents, ClipsComponents } from './service.js'
export { ClipStore, openClipStore } from './clip-store.js'
export type { ClipStoreInit, AddedClip, ByteRange } from './clip-store.js'
export { checkClipMeta, contentTypeOf, toContentType, toUnixSeconds, toClipSpan, defaultContentType } from './clip-meta.js'
export type { ClipRecord, ClipMeta } from './clip-meta.js'
export { matchingClips } from './match.js'
export type { RequestArea, ClipSpan } from './match.js'
export { ImportFolder } from './import-folder.js'
export type { ImportFolderInit } from './import-folder.js'
export { clipRoutes, clipSchema, parseRange } from './routes.js'
export type { ClipRoutesSource } from './routes.js'
export {
  UnknownCameraError, InvalidClipTimeError, UnsupportedClipTypeError, EmptyClipError, ClipTooLargeError,
  ClipConflictError, ClipNotFoundError, RangeNotSatisfiableError, ClipSourceError, InvalidSidecarError,
  AmbiguousImportError, ImportSizeMismatchError, ImportFailedError, ClipsNotStartedError
} from './errors.js'
