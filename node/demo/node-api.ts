// The demo's client for a running node's HTTP API: bearer token, JSON in and out, and which routes the
// node has (from its OpenAPI document), so that a step whose route has not landed yet is skipped.
import { PorchlightError } from '../../protocol/errors.js'

export class NodeApiError extends PorchlightError {
  static override readonly code = 'DEMO_NODE_API_FAILED'
  static override readonly status = 502
  constructor (method: string, url: string, status: number, body: string) {
    super(NodeApiError.code, `${method} ${url} answered ${status}`, { details: { method, url, status, body: body.slice(0, 500) } })
    this.name = 'NodeApiError'
  }
}

export class NodeApi {
  #routes: Promise<Set<string>> | undefined

  constructor (readonly url: string, readonly token: string) {}

  async call<T> (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const url = new URL(path, this.url).toString()
    const json = body !== undefined && !(body instanceof Uint8Array)
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : body as Uint8Array })
    })
    const text = await response.text()
    if (!response.ok) throw new NodeApiError(method, url, response.status, text)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }

  /** Whether the node serves `METHOD path` (path as in OpenAPI: `/api/inbox/{id}`). */
  async has (method: string, path: string): Promise<boolean> {
    this.#routes ??= this.call<{ paths?: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json').then((doc) =>
      new Set(Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))))
    return (await this.#routes).has(`${method.toUpperCase()} ${path}`)
  }
}
