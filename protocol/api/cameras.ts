// A resident's cameras as its API sends them (GET /api/cameras, …/:name) and the bodies it takes (POST,
// PUT, POST /api/cameras/test). Positions only ever go to this resident's own browser, behind the token.
// Credentials never come back: a source is sent as its SourceView (node/cameras/redact.ts).

/** A source as it may be shown: the URL without its user name, password, query and fragment; a token only as "set". */
export type SourceView =
  | { kind: 'rtsp', url: string }
  | { kind: 'frigate', url: string, camera: string, token: boolean }
  | { kind: 'folder', path: string }

/**
 * A source as the API takes it. `rtsp.url` / `frigate.url`: a full URL, or the view's URL sent back unchanged
 * (then the stored one, with its credentials, is kept). `frigate.token`: a string sets it, `true` keeps the
 * stored one, `false` or absent means none.
 */
export type SourceBody =
  | { kind: 'rtsp', url: string }
  | { kind: 'frigate', url: string, camera: string, token?: string | boolean }
  | { kind: 'folder', path: string }

/** A recorder's state as the node reports it (node/recording's RecorderStatus). Times are unix milliseconds. */
export interface RecorderStatusView {
  state: 'recording' | 'connecting' | 'unreachable' | 'disk-full' | 'stopped'
  since: number
  lastSegmentAt?: number
  /** The message has no credentials in it. */
  error?: { code: string, message: string }
}

/** A resident's own camera, with its position: only ever sent to this resident's browser. */
export interface CameraView {
  name: string
  lat: number
  lng: number
  /** The camera's res-9 H3 cell (the one matched against a request's area). */
  cell: string
  /** Degrees clockwise from north. */
  direction?: number
  source?: SourceView
  /** An `rtsp` camera's recorder, when the node records. */
  status?: RecorderStatusView
}

/** GET /api/cameras. */
export interface CameraList {
  items: CameraView[]
}

/** POST /api/cameras and PUT /api/cameras/:name. */
export interface CameraBody {
  name: string
  lat: number
  lng: number
  direction?: number
  source?: SourceBody
}

/** POST /api/cameras/test: a stored camera's source (`name`), a new one (`source`), or an edit of a stored one (both). */
export interface SourceTestBody {
  name?: string
  source?: SourceBody
}

/** What a source test found, in plain words (node/cameras/source-test.ts). */
/** What a working source told about itself. */
export interface SourceTestDetails {
  /** The video codec (ffprobe's name: `h264`, `hevc`). */
  codec?: string
  width?: number
  height?: number
  fps?: number
  /** Frigate's version. */
  version?: string
}

export type SourceTestResult =
  | { ok: true, details: SourceTestDetails }
  | { ok: false, error: { code: string, message: string } }
