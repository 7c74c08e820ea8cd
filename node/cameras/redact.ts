// A camera source as it may be shown: logs, metrics, API answers and CLI output get this, never the config's
// own URL (an RTSP URL carries `user:password@`, a Frigate source a token).
import type { CameraSource } from '../config/index.js'
import type { SourceView } from '../../protocol/api/index.js'

export type { SourceView }

/** The URL without its user name, password, query and fragment (where cameras put tokens); unparseable: `'(invalid URL)'`. */
export function redactUrl (url: string): string {
  if (!URL.canParse(url)) return '(invalid URL)'
  const u = new URL(url)
  const hidden = u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== ''
  u.username = ''
  u.password = ''
  u.search = ''
  u.hash = ''
  // URL's setters cannot clear the credentials of every scheme (rtsp: is not "special"), so rebuild the string.
  const text = `${u.protocol}//${u.host}${u.pathname}`
  return hidden ? `${text} (credentials hidden)` : text
}

export function redactSource (source: CameraSource): SourceView {
  switch (source.kind) {
    case 'rtsp': return { kind: 'rtsp', url: redactUrl(source.url) }
    case 'frigate': return { kind: 'frigate', url: redactUrl(source.url), camera: source.camera, token: source.token !== undefined }
    case 'folder': return { kind: 'folder', path: source.path }
  }
}
