// Paired devices: pair a phone (a link with a token of its own, shown once as a QR code), list them, revoke
// one. Only the node's own token manages devices (node/api/devices.ts): on a paired phone the page says so.
import { useEffect, useState } from 'preact/hooks'
import QRCode from 'qrcode'
import type { ApiClient } from '../api/client.js'
import type { DeviceView, PairedDevice } from '../api/types.js'
import { formatTime } from '../components/time.js'
import { useTimeZone } from '../components/ui-settings.js'
import { Confirm, ErrorNote, Loading, useLoad } from '../components/ui.js'

// With its zone: the agency's on an agency's page, the browser's on a resident's.
const when = (iso: string | undefined, zone: string | undefined): string => iso === undefined ? 'never' : formatTime(Math.floor(Date.parse(iso) / 1000), zone === undefined ? {} : { zone })

/** Loopback names, which no phone can reach: the link would not open there. */
const loopback = (link: string): boolean => {
  const host = new URL(link).hostname
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.')
}

function Pairing ({ paired, onDone }: { paired: PairedDevice, onDone: () => void }) {
  const [qr, setQr] = useState<string>()
  useEffect(() => {
    let live = true
    // An SVG made here from the link: the token never goes anywhere else to be drawn.
    void QRCode.toString(paired.link, { type: 'svg', margin: 2 }).then((svg) => { if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`) })
    return () => { live = false }
  }, [paired.link])
  return (
    <div role='region' aria-labelledby='pair-done-h'>
      <h3 id='pair-done-h'>Scan this with “{paired.device.name}”</h3>
      {qr !== undefined && <img src={qr} width={240} height={240} alt={`QR code of the pairing link for ${paired.device.name}`} />}
      <p>Or open this address on it: <code style={{ overflowWrap: 'anywhere' }}>{paired.link}</code></p>
      {paired.fingerprint !== undefined && (
        <p>The phone's browser will say it does not know this node's certificate. Go on only if the certificate it shows has this
          SHA-256 fingerprint: <code style={{ overflowWrap: 'anywhere' }}>{paired.fingerprint}</code></p>
      )}
      {loopback(paired.link) && (
        <p class='error' role='alert'>This node listens on {new URL(paired.link).hostname} only, which a phone cannot reach: set <code>api.host</code> in
          config.json to this machine's address on the home network and restart it.</p>
      )}
      <p class='muted'>The link is shown this once: the node keeps only a hash of its token.</p>
      <div class='actions'><button type='button' onClick={onDone}>Done</button></div>
    </div>
  )
}

export function Devices ({ api }: { api: ApiClient }) {
  const devices = useLoad(async () => await api.devices(), [])
  const zone = useTimeZone(api)
  const [name, setName] = useState('phone')
  const [paired, setPaired] = useState<PairedDevice>()
  const [revoking, setRevoking] = useState<DeviceView>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const notOwner = (devices.error as { code?: string } | undefined)?.code === 'NODE_TOKEN_REQUIRED'

  async function pair (e: Event): Promise<void> {
    e.preventDefault(); setError(undefined); setBusy(true)
    try {
      setPaired(await api.pairDevice(name.trim()))
      devices.reload()
    } catch (err) { setError(err) } finally { setBusy(false) }
  }

  async function revoke (device: DeviceView): Promise<void> {
    setError(undefined); setBusy(true)
    try {
      await api.revokeDevice(device.id)
      setRevoking(undefined)
      devices.reload()
    } catch (err) { setError(err) } finally { setBusy(false) }
  }

  if (notOwner) {
    return (
      <section aria-labelledby='dev-h'>
        <h2 id='dev-h'>Devices</h2>
        <p class='muted'>This device was paired with the node. Devices are paired and revoked from the node's own machine
          (its address with the node's token, or <code>porchlight pair</code>).</p>
      </section>
    )
  }
  return (
    <section aria-labelledby='dev-h'>
      <h2 id='dev-h'>Devices</h2>
      <p class='muted'>A paired phone opens this page with a token of its own, which you can revoke alone.</p>
      {paired === undefined
        ? (
          <form class='form' onSubmit={(e) => { void pair(e) }}>
            <label>Device name <input value={name} maxLength={64} required onInput={(e) => { setName((e.target as HTMLInputElement).value) }} /></label>
            <div class='actions'><button type='submit' class='primary' disabled={busy || name.trim() === ''}>Pair a phone</button></div>
          </form>
          )
        : <Pairing paired={paired} onDone={() => { setPaired(undefined) }} />}
      <ErrorNote error={error} />
      {devices.loading && <Loading what='devices' />}
      <ErrorNote error={devices.error} />
      {devices.data !== undefined && devices.data.length === 0 && <p class='muted'>No device is paired.</p>}
      {devices.data !== undefined && devices.data.length > 0 && (
        <table>
          <thead><tr><th scope='col'>Name</th><th scope='col'>Paired</th><th scope='col'>Last used</th><th scope='col'><span class='sr-only'>Actions</span></th></tr></thead>
          <tbody>
            {devices.data.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td><td>{when(d.createdAt, zone)}</td><td>{when(d.lastUsedAt, zone)}</td>
                <td><button type='button' onClick={() => { setRevoking(d) }}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking !== undefined && (
        <Confirm title={`Revoke “${revoking.name}”?`} confirmLabel='Revoke' busy={busy} onConfirm={() => { void revoke(revoking) }} onCancel={() => { setRevoking(undefined) }}>
          <p>Its next request is refused; pair it again to use it.</p>
        </Confirm>
      )}
    </section>
  )
}
