// A clip upload streamed to the node with progress. fetch cannot report upload progress; XMLHttpRequest
// can. Kept apart from client.ts so that module stays free of DOM-only APIs (its tests run under Node).
import { ApiError, toApiError } from './client.js'
import type { ClipView } from './types.js'

export interface UploadMeta {
  camera: string
  /** Unix seconds. */
  start: number
  duration: number
}

export async function uploadClip (credentials: { base: string, token: string }, file: Blob, meta: UploadMeta, onProgress: (sent: number, total: number) => void): Promise<ClipView> {
  const query = new URLSearchParams({ camera: meta.camera, start: String(meta.start), duration: String(meta.duration) })
  return await new Promise<ClipView>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${credentials.base}/api/clips?${query.toString()}`)
    xhr.setRequestHeader('authorization', `Bearer ${credentials.token}`)
    xhr.setRequestHeader('content-type', file.type === '' ? 'application/octet-stream' : file.type)
    xhr.upload.onprogress = (e) => { onProgress(e.loaded, e.lengthComputable ? e.total : file.size) }
    xhr.onerror = () => { reject(new ApiError(0, 'NETWORK', 'the upload broke off')) }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as ClipView)
      else void toApiError(new Response(xhr.responseText, { status: xhr.status })).then(reject)
    }
    xhr.send(file)
  })
}
