// The resident's clips and the add-clip form (a streamed upload with progress).
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import { uploadClip } from '../api/upload.js'
import type { CameraView } from '../api/types.js'
import { ErrorNote, Loading, Progress, fmtBytes, fmtTime, fromLocalInput, short, toLocalInput, useLoad } from '../components/ui.js'

export function Clips ({ api, cameras }: { api: ApiClient, cameras: CameraView[] }) {
  const clips = useLoad(async () => await api.clips(), [])
  const [file, setFile] = useState<File | undefined>()
  const [camera, setCamera] = useState(cameras[0]?.name ?? '')
  const [start, setStart] = useState(toLocalInput(Math.floor(Date.now() / 1000) - 3600, false))
  const [duration, setDuration] = useState('60')
  const [progress, setProgress] = useState<{ sent: number, total: number } | undefined>()
  const [error, setError] = useState<unknown>()
  const [added, setAdded] = useState<string | undefined>()

  async function upload (e: Event): Promise<void> {
    e.preventDefault()
    if (file === undefined) return
    setError(undefined); setAdded(undefined); setProgress({ sent: 0, total: file.size })
    try {
      const clip = await uploadClip(api.credentials, file, { camera, start: fromLocalInput(start), duration: Number(duration) }, (sent, total) => { setProgress({ sent, total }) })
      setAdded(`Stored ${clip.cid}`)
      clips.reload()
    } catch (err) {
      setError(err)
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <section aria-labelledby='clips-h'>
      <h2 id='clips-h'>Clips</h2>
      <p class='muted'>Clips stay on this node. They leave it only when you share them with a request.</p>
      <form class='form' onSubmit={(e) => { void upload(e) }} aria-describedby='upload-error'>
        <h3>Add a clip</h3>
        <label>Video file <input type='file' accept='video/*,image/jpeg,image/png' required onChange={(e) => { setFile((e.target as HTMLInputElement).files?.[0]) }} /></label>
        <label>Camera
          {cameras.length > 0
            ? <select value={camera} onChange={(e) => { setCamera((e.target as HTMLSelectElement).value) }}>{cameras.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}</select>
            : <input value={camera} required onInput={(e) => { setCamera((e.target as HTMLInputElement).value) }} />}
        </label>
        <label>Recording started <input type='datetime-local' value={start} required onInput={(e) => { setStart((e.target as HTMLInputElement).value) }} /></label>
        <label>Length, seconds <input type='number' min='0' max='86400' value={duration} required onInput={(e) => { setDuration((e.target as HTMLInputElement).value) }} /></label>
        <div class='actions'><button type='submit' class='primary' disabled={file === undefined || progress !== undefined}>Add clip</button></div>
        {progress !== undefined && <Progress value={progress.sent} max={progress.total} label='uploaded' />}
        <ErrorNote error={error} id='upload-error' />
        {added !== undefined && <p class='ok' role='status'>{added}</p>}
      </form>
      {clips.loading && <Loading what='clips' />}
      <ErrorNote error={clips.error} />
      <table class='table'>
        <caption class='sr-only'>Your clips</caption>
        <thead><tr><th scope='col'>Camera</th><th scope='col'>Recorded</th><th scope='col'>Length</th><th scope='col'>Size</th><th scope='col'>Content id</th></tr></thead>
        <tbody>{(clips.data ?? []).map((c) => (
          <tr key={c.cid}><td>{c.camera}</td><td>{fmtTime(c.start)}</td><td>{c.end - c.start} s</td><td>{fmtBytes(c.size)}</td><td><code title={c.cid}>{short(c.cid)}</code></td></tr>
        ))}</tbody>
      </table>
    </section>
  )
}
