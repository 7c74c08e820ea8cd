export {
  AREA_RESOLUTION, TOPIC_RESOLUTION, isCell, assertCell, areaFromCells, sortedUnique, cameraCell,
  isCameraInArea, areaKm2, topicCells, topicName, topicCell, isInsideJurisdiction
} from './cells.js'
export { areaFromCircle, MAX_RADIUS_METERS } from './circle.js'
export { cellToUint64, uint64ToCell } from './uint64.js'
export { InvalidCellError, InvalidCoordinatesError } from './errors.js'
