// What the resident's browser may do with its cameras (routes.ts serves it): read them with their
// recording status, change them through the book, and test a source. Kept apart from the book because the
// recorder needs the book (it follows the book's changes) and this needs the recorder (its status): the
// book stays at the bottom, this on top.
import { EventEmitter } from 'node:events'
import type { PorchlightError } from '../../protocol/errors.js'
import type { CameraView, SourceTestBody, SourceTestResult, RecorderStatusView } from '../../protocol/index.js'
import type { CameraSource } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Logger } from '../logging/index.js'
import { cameraView, checkCameras, resolveSource, type CameraBook } from './camera-book.js'
import { InvalidCameraError, SourceTestBusyError, SourceTestUnavailableError } from './errors.js'
import { redactSource } from './redact.js'

/** Checks that a source answers (node/cameras/source-test.ts's testSource, with the node's ffprobe and a timeout). */
export type SourceTester = (source: CameraSource) => Promise<SourceTestResult>

export interface CameraApiInit {
  /** @default none: the test route answers SOURCE_TEST_UNAVAILABLE */
  testSource?: SourceTester
  /** Tests at once; one more is refused with SOURCE_TEST_BUSY. @default 4 */
  maxTests?: number
}

/** The recorder's status per camera name, as node/recording's RecordingService reports it. */
export interface RecorderStatusSource {
  status (): Record<string, RecorderStatusView>
}

export type CameraApiComponents = Pick<NodeComponents, 'logger'> & {
  cameras: CameraBook
  /** The node's recordings, when it records (`rtsp` cameras). */
  recordings?: RecorderStatusSource
}

export interface CameraApiEvents {
  /** A source test was refused before it ran (a bad body, an unknown camera, too many at once; what /metrics counts). */
  'source-test:refused': [{ error: PorchlightError }]
}

export class CameraApi extends EventEmitter<CameraApiEvents> implements NodeService {
  readonly book: CameraBook
  readonly #recordings: RecorderStatusSource | undefined
  readonly #testSource: SourceTester | undefined
  readonly #maxTests: number
  #testing = 0
  readonly #log: Logger

  constructor (components: CameraApiComponents, init: CameraApiInit = {}) {
    super()
    this.book = components.cameras
    this.#recordings = components.recordings
    this.#testSource = init.testSource
    this.#maxTests = init.maxTests ?? 4
    this.#log = components.logger.child({ component: 'cameras' })
  }

  /** Nothing to start: it reads the book and the recorder when asked. */
  start (): void {}

  /** Every camera with its recorder's status. */
  views (): CameraView[] {
    const status = this.#recordings?.status() ?? {}
    return this.book.list().map((c) => withStatus(cameraView(c), status[c.name]))
  }

  view (name: string): CameraView {
    return withStatus(cameraView(this.book.get(name)), this.#recordings?.status()[name])
  }

  /**
   * Tests a stored camera's source (`name`), a new source (`source`), or an edit of a stored camera's source
   * before it is saved (both: its kept credentials are filled in as a save would).
   */
  async test (body: SourceTestBody): Promise<SourceTestResult> {
    let source: CameraSource
    try {
      source = this.#sourceToTest(body)
      if (this.#testSource === undefined) throw new SourceTestUnavailableError()
      // Each test may hold a child process for its whole timeout: a page (or a script with the token) that
      // keeps pressing Test must not fill the machine with them.
      if (this.#testing >= this.#maxTests) throw new SourceTestBusyError(this.#maxTests)
    } catch (err) {
      this.#log.info({ err }, 'cameras: source test refused')
      this.emit('source-test:refused', { error: err as PorchlightError })
      throw err
    }
    this.#testing++
    let result: SourceTestResult
    try {
      result = await this.#testSource(source)
    } finally {
      this.#testing--
    }
    this.#log.info({ source: redactSource(source), ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) }, 'cameras: source tested')
    return result
  }

  #sourceToTest (body: SourceTestBody): CameraSource {
    let source: CameraSource
    if (body.source !== undefined) {
      const stored = body.name === undefined ? undefined : this.book.get(body.name).source
      source = checkCameras([{ name: 'test', lat: 0, lng: 0, source: resolveSource(body.source, stored) }])[0]!.source!
    } else if (body.name !== undefined) {
      const stored = this.book.get(body.name).source
      if (stored === undefined) throw new InvalidCameraError({ field: 'source', reason: 'is not set for this camera: footage comes only from imports and uploads' })
      source = stored
    } else {
      throw new InvalidCameraError({ field: 'source', reason: 'is missing: name a camera or give a source' })
    }
    return source
  }
}

function withStatus (view: Omit<CameraView, 'status'>, status: RecorderStatusView | undefined): CameraView {
  return status === undefined ? view : { ...view, status }
}

/** The camera API for roleSetup('resident'). */
export function cameraApi (init: CameraApiInit = {}): (components: CameraApiComponents) => CameraApi {
  return (components) => new CameraApi(components, init)
}
