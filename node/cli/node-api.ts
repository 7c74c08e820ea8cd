// Calling a running node's HTTP API from the CLI: the address from node.json, the token from api-token.
// (The node holds the database lock, and its API applies every rule, so the CLI goes through it.)
import { readFile } from 'node:fs/promises'
import { PorchlightError } from '../../protocol/errors.js'
import type { ApiErrorBody } from '../../protocol/index.js'
import { nodePaths } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'

/** The node in the directory is not running (no node.json), so there is no API to ask. */
export class NodeNotRunningError extends PorchlightError {
  static override readonly code = 'NODE_NOT_RUNNING'
  static override readonly status = 503
  constructor (dir: string) {
    super(NodeNotRunningError.code, `no running node in ${dir} (start it with porchlight start --dir ${dir})`, { details: { dir } })
    this.name = 'NodeNotRunningError'
  }
}

/** The node refused the call; `details.code` is the API's error code. */
export class ApiRequestError extends PorchlightError {
  static override readonly code = 'API_REQUEST_FAILED'
  static override readonly status = 502
  constructor (status: number, code: string, message: string) {
    super(ApiRequestError.code, `the node answered ${status} ${code}: ${message}`, { details: { status, code } })
    this.name = 'ApiRequestError'
  }
}

/**
 * Calls `method path` on the node running in `dir` with its token; returns the response once it is known
 * to be a success (its body unread: it may be a stream), or throws the node's refusal.
 */
export async function fetchNodeApi (dir: string, method: string, path: string, body?: unknown): Promise<Response> {
  const info = await readNodeInfo(dir)
  if (info?.api === undefined) throw new NodeNotRunningError(dir)
  const token = (await readFile(nodePaths(dir).apiToken, 'utf8')).trim()
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${info.api.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  if (!res.ok) {
    const answer = await res.json().catch(() => ({})) as Partial<ApiErrorBody>
    throw new ApiRequestError(res.status, answer.error?.code ?? 'UNKNOWN', answer.error?.message ?? '')
  }
  return res
}

/** Calls `method path` on the node running in `dir` with its token; returns the JSON answer. */
export async function callNodeApi (dir: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return await (await fetchNodeApi(dir, method, path, body)).json()
}
