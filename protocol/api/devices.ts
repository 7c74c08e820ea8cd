// Paired devices (issue 18): a phone or tablet that reaches the node's UI with a token of its own. The
// token itself is answered once, when the device is paired; the node keeps only its hash.

/** A paired device as `GET /api/devices` lists it. */
export interface DeviceView {
  id: string
  name: string
  /** ISO 8601. */
  createdAt: string
  /** ISO 8601, to the minute: when its token last opened a request (absent: never used). */
  lastUsedAt?: string
}

/** `POST /api/devices`'s answer: the only time the device's token is ever sent. */
export interface PairedDevice {
  device: DeviceView
  token: string
  /** `https://<host>:<port>/#token=<token>`: what the phone opens (the QR code's text). */
  link: string
  /** SHA-256 of the API's certificate (`AB:CD:…`), to check in the phone's browser; absent on plain HTTP. */
  fingerprint?: string
}
