// The JSON Schema of config.json (documented in docs/node.md). Ajv checks shape, types and ranges;
// config.ts adds the checks a schema cannot express (multiaddrs parse, names unique, addresses checksum).
import type { JSONSchemaType } from 'ajv'
import type { Role } from '../../protocol/index.js'

export type { Role }
export const roles: readonly Role[] = ['resident', 'agency', 'auditor', 'witness', 'relay']

/** A resident's camera. Its coordinates never leave the node: only its res-7 cell is ever published. */
export interface Camera {
  name: string
  lat: number
  lng: number
  /** Degrees clockwise from north that the camera faces; drawn on the resident's own map only. */
  direction?: number
  /** Where its footage comes from (docs/cameras.md). Absent: clips come only through the import folder, `clips add` or an upload. */
  source?: CameraSource
}

/**
 * Where a camera's footage comes from. `rtsp`: the node records it continuously; `frigate`: a Frigate NVR
 * records it and the node asks its HTTP API; `folder`: clips dropped in a folder (the import folder's format).
 * URLs may carry credentials (`rtsp://user:pass@…`, a Frigate token): they never appear in logs, metrics or
 * API answers (node/cameras/redact.ts).
 */
export type CameraSource =
  | { kind: 'rtsp', url: string }
  | { kind: 'frigate', url: string, camera: string, token?: string }
  | { kind: 'folder', path: string }

/** Residents only: continuous recording of the `rtsp` cameras (docs/cameras.md). */
export interface RecordingConfig {
  /** Where segments are kept, relative to the node's directory. */
  dir: string
  /** Segments older than this are deleted, oldest first. */
  retentionDays: number
  /** All cameras' segments together stay within this many bytes, oldest deleted first. */
  maxBytes: number
  /** Recording stops (with an alert) while the disk has less free space than this. */
  minFreeBytes: number
  /** Target length of one segment: what a `kill -9` can lose at most. */
  segmentSeconds: number
  /** Paths of the binaries; unset: the system's on PATH, else the ones inside the npm packages (docs/cameras.md). */
  ffmpeg?: string
  ffprobe?: string
}

/** A certificate the user supplies for the API (PEM files; paths relative to the node's directory). */
export interface ApiTlsConfig {
  cert: string
  key: string
}

/** Where the contracts are: what `porchlight chain` writes to its deployment file. */
export interface ChainEndpoint {
  rpc: string
  chainId: number
  /** AnchorRelay: the relayer path's contract (issue 21), in deployments made since. */
  contracts: { AgencyRegistry: string, AuditAnchor: string, WitnessRegistry: string, AnchorRelay?: string }
  /**
   * Blocks below the head a node reads the registry, the witness set and anchors at, and how deep its own
   * anchor must be before it counts (docs/contracts.md, "Confirmations"). Default: 0 on the embedded chain
   * (id 31337), else 12.
   */
  confirmations?: number
}

export interface NodeConfig {
  /** Format version of this file. */
  version: 1
  role: Role
  /** A label for people (shown in the UI and in `GET /api/node`). */
  name: string
  /** libp2p listen multiaddrs. */
  listen: string[]
  /** Multiaddrs to announce instead of the listen ones (e.g. a public address). */
  announce?: string[]
  /** Peers to dial at start, each with a /p2p/ peer id. */
  bootstrap: string[]
  mdns: boolean
  /**
   * `allowedHosts`: names it is reached by besides loopback, `host` and `announce` (a reverse proxy's);
   * `tls`: the certificate it serves HTTPS with instead of the one it makes itself (docs/node.md, "The UI from a phone").
   */
  api: { host: string, port: number, allowedHosts?: string[], tls?: ApiTlsConfig }
  /** A deployment file's path (relative to the node's directory) or the endpoint itself. */
  chain?: string | ChainEndpoint
  /** Residents only. */
  cameras: Camera[]
  /** Residents only: how `rtsp` cameras are recorded (resolveRecording fills the defaults). */
  recording?: RecordingConfig
  /** Agencies only: how often the log's checkpoint is anchored when the log grew. */
  anchorIntervalSeconds?: number
  /** Residents only: requests to ignore on arrival (never to share: nothing is shared automatically). */
  inboxPolicy?: InboxPolicyConfig
  /** Auditors only (filled with defaults for them): what to audit and the promises to hold agencies to. */
  audit?: AuditConfig
  /** The node's JSON log lines (PORCHLIGHT_LOG_LEVEL overrides the level for one run). */
  log?: { level: LogLevel }
  /** `GET /metrics`: `public: true` serves it without the API token (to a scraper on a trusted network). */
  metrics?: { public: boolean }
  /** Witnesses only (docs/witness.md). */
  witness?: WitnessConfig
  /** Agencies only: what deliveries may cost the agency (docs/agency.md). @default defaults.footage */
  footage?: FootageLimits
  /** How the node reaches and is reached across routers (docs/network.md); defaults depend on the role (network.ts). */
  network?: NetworkConfig
  /** Residents only: how footage travels to the agency (docs/footage.md). */
  delivery?: { via: DeliveryVia }
  /** Residents only: who hears about a new request, and how (docs/notify.md). Each channel is optional. */
  notify?: NotifyConfig
  /**
   * Agencies only: `kms.command` (argv, no shell) prints the operator's secret that seals the request keys,
   * when neither `--secret-file` nor PORCHLIGHT_SECRET gives it (docs/agency.md, "Keys at rest").
   */
  keys?: { kms?: { command: string[] } }
  /** The web UI's street map and address search (docs/ui.md, "The street map"). Both off by default. */
  ui?: UiConfig
  /** Agencies only: where the agency is (its time zone, in which every time of its UI is shown). */
  agency?: AgencyConfig
}

/**
 * The base map under the H3 cells: a MapLibre style URL; a tile URL template (`{z}/{x}/{y}`) of raster
 * images or vector tiles; or a PMTiles file on this node's disk, which the node serves itself (offline).
 * Absent: the cells are drawn on a blank background ("no base map configured").
 */
export type MapSourceConfig =
  | { style: string }
  /** `layers`: for vector tiles, the source layers to draw (streets, buildings, water: `transportation`, `building` …). */
  | { tiles: string, type: 'raster' | 'vector', attribution?: string, maxZoom?: number, layers?: string[] }
  | { pmtiles: string, attribution?: string }

export interface UiConfig {
  map?: MapSourceConfig
  /** A Nominatim-compatible search endpoint (`https://nominatim.example/search`); the browser asks it directly. */
  geocoder?: { url: string, attribution?: string }
}

export interface AgencyConfig {
  /** IANA time zone of the agency's incidents. @default the machine's */
  timeZone?: string
}

/**
 * Where a resident hears about a request that entered its inbox. A notification carries the request's
 * public fields and a link to the node's UI only: nothing about the cameras, clips or position.
 */
export interface NotifyConfig {
  /** Base URL of the node's UI for the link in each notification. @default the API's own URL */
  link?: string
  /** An MQTT broker (Home Assistant's, typically). */
  mqtt?: NotifyMqttConfig
  /** An HTTP POST per notification: a JSON body, or ntfy's publish API. */
  webhook?: NotifyWebhookConfig
  /** Email through an SMTP server. */
  email?: NotifyEmailConfig
}

export interface NotifyMqttConfig {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://`; credentials go in username/password, not here. */
  url: string
  /** The base topic. @default `porchlight/<node name as a slug>` */
  topic?: string
  username?: string
  password?: string
  /** Home Assistant MQTT discovery (a device with an `event` entity). @default true */
  discovery?: boolean
  /** @default 'homeassistant' */
  discoveryPrefix?: string
}

export interface NotifyWebhookConfig {
  /** `json`: the URL gets the notification as JSON. `ntfy`: the URL is an ntfy topic (`https://ntfy.sh/<topic>`). */
  url: string
  format: 'json' | 'ntfy'
  /** Sent as `Authorization: Bearer <token>` (an ntfy access token, or the webhook's). */
  token?: string
}

export interface NotifyEmailConfig {
  host: string
  port: number
  /** Implicit TLS (port 465). `false`: plain connection that must upgrade with STARTTLS, or nothing is sent. @default true */
  secure?: boolean
  username?: string
  password?: string
  from: string
  to: string[]
}

/**
 * `direct`: dial the agency's own addresses, its relayed ones only when those fail. `relay`: only through a
 * relay, so the agency never sees the household's IP address (the relay sees the IP and only ciphertext).
 */
export type DeliveryVia = 'direct' | 'relay'

/** What a relayed connection may carry before the relay closes it (circuit relay v2 limits). */
export interface RelayLimit {
  durationSeconds: number
  dataBytes: number
}

/** Serving circuit relay v2 to nodes behind routers. */
export interface RelayServerConfig {
  /** Reservations held at once; a peer beyond them is refused. */
  maxReservations: number
  /** Every relayed connection's limit: sized for gossip and catch-up, not footage. */
  gossip: RelayLimit
  /** The limit of a connection to a peer proven to be an active agency (relayed footage). */
  footage: RelayLimit
}

export interface NetworkConfig {
  /** Ask the home router for a port mapping (UPnP IGD). Residents: on; servers: off. */
  upnp?: boolean
  /** Relay reservations to hold, each on a different relay among the connected peers. Residents and agencies: 2. */
  reservations?: number
  /** Serve as a circuit relay (agencies and relays do by default), or `false`. */
  relay?: false | Partial<Omit<RelayServerConfig, 'gossip' | 'footage'>> & { gossip?: Partial<RelayLimit>, footage?: Partial<RelayLimit> }
}

/** One scope's share of an agency's deliveries: accepted deliveries, their bytes, transfers at once. */
export interface DeliveryQuota {
  deliveries: number
  /** Ciphertext bytes, as declared and then received. */
  bytes: number
  concurrent: number
}

/**
 * What footage deliveries may cost an agency. A sender is counted by its peer id and by its IP address (an
 * IPv6 address by its /64): a peer id is free to mint, and every honest delivery comes from a fresh one.
 */
export interface FootageLimits {
  /** Seconds any transfer gets on top of its size at `minBytesPerSecond` (the offer, the checks, the receipt). */
  deadlineBaseSeconds: number
  /** The slowest a sender may be on average: a transfer may be open base + bytes received / this rate (at most its declared size's). */
  minBytesPerSecond: number
  /** Per request of the agency's. */
  perRequest: DeliveryQuota
  /** Per sender (peer id, and IP address) and request. */
  perSender: DeliveryQuota
  /** Free bytes the footage folder's disk keeps after every transfer in flight: an offer that would cut into it is refused. */
  minFreeBytes: number
}

/** A witness's settings. */
export interface WitnessConfig {
  /** Its signed-note key name (no spaces or plus), in its vkey and every cosignature line. */
  name: string
  /** The chain whose agencies it witnesses, when the config names no chain (it must agree with one that does). */
  chainId?: number
  /** Most logs it keeps state for; a fresh origin beyond them is refused. @default 10000 */
  maxOrigins?: number
  /** Its public HTTP base URL, given out by `GET /api/witness`. */
  url?: string
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** Auto-ignore rules of a resident's inbox. */
export interface InboxPolicyConfig {
  /** Request categories to ignore (from the protocol's closed list). */
  ignoreCategories: string[]
  /** Agency addresses (EIP-55) whose requests are ignored. */
  ignoreAgencies: string[]
}

/** An auditor's settings (docs/auditor.md). */
export interface AuditConfig {
  /** Each agency's log endpoint, by checksummed address: an http(s) base URL, or a multiaddr with /p2p/<id>. */
  logs: Record<string, string>
  /** Other auditors' report URLs (`…/api/report`), whose checkpoints join the split-view check. */
  peers: string[]
  /** The anchoring interval agencies promise, seconds. */
  anchorIntervalSeconds: number
  /** Slack allowed on top of that interval, seconds. */
  anchorGraceSeconds: number
  /** How often the node re-audits besides on every Anchored event, seconds. */
  intervalSeconds: number
}

const GiB = 1024 ** 3

export const defaults = {
  listen: ['/ip4/127.0.0.1/tcp/0'],
  api: { host: '127.0.0.1', port: 0 },
  anchorIntervalSeconds: 600,
  audit: { anchorIntervalSeconds: 600, anchorGraceSeconds: 60, intervalSeconds: 300 },
  // Axon's public evidence uploads (16 files, 60 GB a file) as the upper reference for one sender; the
  // reasons for each figure are in docs/agency.md.
  footage: {
    deadlineBaseSeconds: 10,
    minBytesPerSecond: 64 * 1024,
    perRequest: { deliveries: 256, bytes: 256 * GiB, concurrent: 16 },
    perSender: { deliveries: 16, bytes: 64 * GiB, concurrent: 4 },
    minFreeBytes: 2 * GiB
  } satisfies FootageLimits,
  // A relayed connection lives until DCUtR replaces it or the limit ends it; gossip and catch-up need ~kB a
  // request, so 4 MiB and 30 minutes cover a busy hour's traffic between two residents. Footage gets the
  // agency's own per-sender bound (docs/network.md).
  relay: {
    maxReservations: 1024,
    gossip: { durationSeconds: 30 * 60, dataBytes: 4 * 1024 * 1024 },
    footage: { durationSeconds: 6 * 3600, dataBytes: 64 * GiB }
  } satisfies RelayServerConfig,
  reservations: 2,
  // A week of footage is what most NVRs keep by default; 64 GiB holds a week of one 1080p camera at ~0.85 Mbit/s
  // or two days at 3 Mbit/s: whichever bound is hit first deletes the oldest segments.
  recording: { dir: 'recordings', retentionDays: 7, maxBytes: 64 * GiB, minFreeBytes: 1 * GiB, segmentSeconds: 10 }
} as const

const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const

export const chainEndpointSchema: JSONSchemaType<ChainEndpoint> = {
  type: 'object',
  additionalProperties: false,
  required: ['rpc', 'chainId', 'contracts'],
  properties: {
    rpc: { type: 'string', pattern: '^(https?|wss?)://', maxLength: 2048 },
    chainId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    contracts: {
      type: 'object',
      additionalProperties: false,
      required: ['AgencyRegistry', 'AuditAnchor', 'WitnessRegistry'],
      properties: { AgencyRegistry: address, AuditAnchor: address, WitnessRegistry: address, AnchorRelay: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$', nullable: true } }
    },
    confirmations: { type: 'integer', minimum: 0, maximum: 10_000, nullable: true }
  }
}

function quotaSchema (of: DeliveryQuota): JSONSchemaType<DeliveryQuota> {
  return {
    type: 'object',
    additionalProperties: false,
    required: [],
    default: { ...of },
    properties: {
      deliveries: { type: 'integer', minimum: 1, maximum: 1_000_000, default: of.deliveries },
      bytes: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: of.bytes },
      concurrent: { type: 'integer', minimum: 1, maximum: 1024, default: of.concurrent }
    }
  }
}

const multiaddrList = { type: 'array', maxItems: 64, items: { type: 'string', pattern: '^/', maxLength: 1024 } } as const

export const configSchema: JSONSchemaType<NodeConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'role', 'name'],
  $defs: {
    // Cast: ajv's types cannot place an object with an optional number inside a oneOf of $defs.
    chain: { oneOf: [{ type: 'string', minLength: 1, maxLength: 4096 }, chainEndpointSchema] } as unknown as JSONSchemaType<string>,
    relayLimit: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        durationSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 },
        dataBytes: { type: 'integer', minimum: 1024, maximum: Number.MAX_SAFE_INTEGER }
      }
    },
    // A discriminator makes ajv report the chosen kind's error (a missing `camera`), not the first branch's.
    cameraSource: {
      type: 'object',
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'url'],
          properties: { kind: { type: 'string', const: 'rtsp' }, url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^rtsps?://' } }
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'url', 'camera'],
          properties: {
            kind: { type: 'string', const: 'frigate' },
            url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' },
            camera: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
            token: { type: 'string', minLength: 1, maxLength: 4096 }
          }
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'path'],
          properties: { kind: { type: 'string', const: 'folder' }, path: { type: 'string', minLength: 1, maxLength: 4096 } }
        }
      ]
    },
    // One of three shapes (MapSourceConfig): which one is the key it has.
    mapSource: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['style'],
          properties: { style: { type: 'string', pattern: '^https?://', maxLength: 2048 } }
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['tiles', 'type'],
          properties: {
            tiles: { type: 'string', pattern: '^https?://.*\\{z\\}.*\\{x\\}.*\\{y\\}', maxLength: 2048 },
            type: { type: 'string', enum: ['raster', 'vector'] },
            attribution: { type: 'string', maxLength: 512 },
            maxZoom: { type: 'integer', minimum: 0, maximum: 24 },
            layers: { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 128 } }
          }
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['pmtiles'],
          properties: { pmtiles: { type: 'string', minLength: 1, maxLength: 4096 }, attribution: { type: 'string', maxLength: 512 } }
        }
      ]
    },
    relay: {
      oneOf: [
        { type: 'boolean', const: false },
        {
          type: 'object',
          additionalProperties: false,
          required: [],
          properties: {
            maxReservations: { type: 'integer', minimum: 1, maximum: 65536 },
            gossip: { $ref: '#/$defs/relayLimit' },
            footage: { $ref: '#/$defs/relayLimit' }
          }
        }
      ]
    }
  },
  properties: {
    version: { type: 'integer', const: 1 },
    role: { type: 'string', enum: [...roles] },
    name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' },
    listen: { ...multiaddrList, minItems: 1, default: [...defaults.listen] },
    announce: { ...multiaddrList, nullable: true },
    bootstrap: { ...multiaddrList, default: [] },
    mdns: { type: 'boolean', default: false },
    api: {
      type: 'object',
      additionalProperties: false,
      required: [],
      default: { ...defaults.api },
      properties: {
        host: { type: 'string', minLength: 1, maxLength: 255, default: defaults.api.host },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: defaults.api.port },
        allowedHosts: { type: 'array', nullable: true, maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s/?#@]+$' } },
        tls: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['cert', 'key'],
          properties: { cert: { type: 'string', minLength: 1, maxLength: 4096 }, key: { type: 'string', minLength: 1, maxLength: 4096 } }
        }
      }
    },
    // JSONSchemaType wants an optional property's schema `nullable`, and ajv refuses `nullable` without `type`:
    // the string-or-object union goes in $defs, which JSONSchemaType types as any schema.
    chain: { $ref: '#/$defs/chain' },
    cameras: {
      type: 'array',
      maxItems: 256,
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'lat', 'lng'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' },
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lng: { type: 'number', minimum: -180, maximum: 180 },
          direction: { type: 'number', nullable: true, minimum: 0, exclusiveMaximum: 360 },
          source: { $ref: '#/$defs/cameraSource' }
        }
      }
    },
    recording: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        dir: { type: 'string', minLength: 1, maxLength: 4096, default: defaults.recording.dir },
        retentionDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650, default: defaults.recording.retentionDays },
        maxBytes: { type: 'integer', minimum: 1024 * 1024, maximum: Number.MAX_SAFE_INTEGER, default: defaults.recording.maxBytes },
        minFreeBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: defaults.recording.minFreeBytes },
        segmentSeconds: { type: 'integer', minimum: 1, maximum: 600, default: defaults.recording.segmentSeconds },
        ffmpeg: { type: 'string', nullable: true, minLength: 1, maxLength: 4096 },
        ffprobe: { type: 'string', nullable: true, minLength: 1, maxLength: 4096 }
      }
    },
    anchorIntervalSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600, nullable: true },
    inboxPolicy: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        ignoreCategories: { type: 'array', maxItems: 64, uniqueItems: true, default: [], items: { type: 'string', maxLength: 64 } },
        ignoreAgencies: { type: 'array', maxItems: 1024, uniqueItems: true, default: [], items: address }
      }
    },
    log: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: { level: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' } }
    },
    metrics: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: { public: { type: 'boolean', default: false } }
    },
    witness: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s+\\u0000-\\u001f]+$' },
        chainId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, nullable: true },
        maxOrigins: { type: 'integer', minimum: 1, maximum: 1_000_000, nullable: true },
        url: { type: 'string', pattern: '^https?://', maxLength: 256, nullable: true }
      }
    },
    footage: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        deadlineBaseSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600, default: defaults.footage.deadlineBaseSeconds },
        minBytesPerSecond: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: defaults.footage.minBytesPerSecond },
        perRequest: quotaSchema(defaults.footage.perRequest),
        perSender: quotaSchema(defaults.footage.perSender),
        minFreeBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: defaults.footage.minFreeBytes }
      }
    },
    network: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        upnp: { type: 'boolean', nullable: true },
        reservations: { type: 'integer', minimum: 0, maximum: 4, nullable: true },
        relay: { $ref: '#/$defs/relay' }
      }
    },
    keys: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        kms: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['command'],
          properties: { command: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 4096 } } }
        }
      }
    },
    delivery: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['via'],
      properties: { via: { type: 'string', enum: ['direct', 'relay'] } }
    },
    notify: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        link: { type: 'string', nullable: true, pattern: '^https?://', maxLength: 2048 },
        mqtt: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', pattern: '^(mqtts?|wss?)://', maxLength: 2048 },
            // No wildcards or empty levels: it is published to, and HA's topics are built under it.
            topic: { type: 'string', nullable: true, minLength: 1, maxLength: 256, pattern: '^[^#+\\u0000-\\u001f]+$' },
            username: { type: 'string', nullable: true, minLength: 1, maxLength: 256 },
            password: { type: 'string', nullable: true, minLength: 1, maxLength: 4096 },
            discovery: { type: 'boolean', nullable: true },
            discoveryPrefix: { type: 'string', nullable: true, minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_/-]+$' }
          }
        },
        webhook: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['url', 'format'],
          properties: {
            url: { type: 'string', pattern: '^https?://', maxLength: 2048 },
            format: { type: 'string', enum: ['json', 'ntfy'] },
            token: { type: 'string', nullable: true, minLength: 1, maxLength: 4096 }
          }
        },
        email: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['host', 'port', 'from', 'to'],
          properties: {
            host: { type: 'string', minLength: 1, maxLength: 255 },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
            secure: { type: 'boolean', nullable: true },
            username: { type: 'string', nullable: true, minLength: 1, maxLength: 256 },
            password: { type: 'string', nullable: true, minLength: 1, maxLength: 4096 },
            from: { type: 'string', minLength: 3, maxLength: 320, pattern: '@' },
            to: { type: 'array', minItems: 1, maxItems: 32, items: { type: 'string', minLength: 3, maxLength: 320, pattern: '@' } }
          }
        }
      }
    },
    ui: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        map: { $ref: '#/$defs/mapSource' },
        geocoder: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['url'],
          properties: { url: { type: 'string', pattern: '^https?://', maxLength: 2048 }, attribution: { type: 'string', nullable: true, maxLength: 512 } }
        }
      }
    },
    agency: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: { timeZone: { type: 'string', nullable: true, minLength: 1, maxLength: 64 } }
    },
    audit: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        logs: {
          type: 'object',
          required: [],
          maxProperties: 4096,
          propertyNames: { pattern: '^0x[0-9a-fA-F]{40}$' },
          additionalProperties: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^(https?://|/)' }
        },
        peers: { type: 'array', maxItems: 64, items: { type: 'string', pattern: '^https?://', maxLength: 2048 } },
        anchorIntervalSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 },
        anchorGraceSeconds: { type: 'integer', minimum: 0, maximum: 24 * 3600 },
        intervalSeconds: { type: 'integer', minimum: 1, maximum: 24 * 3600 }
      }
    }
  }
}
