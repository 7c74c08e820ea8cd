// POST /api/evidence/:id on the node's real API server with a stand-in exporter: the export acts as the
// request's user (their pseudonymous id is what the `access` entries name), the node's own token as the
// operator; the answer is a zip download that no cache keeps; a refusal is the exporter's typed error.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApiServer } from '../../../node/api/index.js'
import type { ApiUser } from '../../../node/api/principal.js'
import { EvidenceSubjectNotFoundError, evidenceRoutes, type EvidenceExporter } from '../../../node/evidence/index.js'

const token = 'a'.repeat(43)
const id = 'b' + 'a'.repeat(58)

function server (t: { after: (fn: () => Promise<void>) => void }, user?: ApiUser): { inject: ReturnType<typeof createApiServer>['app']['inject'], calls: Array<[string, string]> } {
  const api = createApiServer({ token, staticDir: false })
  const calls: Array<[string, string]> = []
  const exporter = {
    async export (subject: string, actor: string) {
      calls.push([subject, actor])
      if (subject !== id) throw new EvidenceSubjectNotFoundError(subject)
      return { archive: new Uint8Array([0x50, 0x4b, 5, 6]), manifest: { exportAccess: [7, 8] }, filename: 'evidence-X-1-aaaaaaaaaaaa.zip' }
    }
  } as unknown as EvidenceExporter
  api.addRoutes(async (app) => {
    // What part A's user credentials do in the server: the request acts as this user.
    if (user !== undefined) app.addHook('onRequest', async (request) => { request.user = user })
    await app.register(evidenceRoutes(exporter))
  })
  t.after(async () => { await api.stop() })
  return { inject: api.app.inject.bind(api.app), calls }
}

const auth = { authorization: `Bearer ${token}` }

test('the export acts as the request\'s user; the answer is the zip as an attachment, not cached, naming the access entries', async (t) => {
  const { inject, calls } = server(t, { id: 'badge-7', role: 'investigator' })
  const res = await inject({ method: 'POST', url: `/api/evidence/${id}`, headers: auth, payload: {} })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(calls, [[id, 'badge-7']])
  assert.equal(res.headers['content-type'], 'application/zip')
  assert.equal(res.headers['content-disposition'], 'attachment; filename="evidence-X-1-aaaaaaaaaaaa.zip"')
  assert.equal(res.headers['cache-control'], 'no-store')
  assert.equal(res.headers['x-porchlight-export-access'], '7,8')
  assert.deepEqual(new Uint8Array(res.rawPayload), new Uint8Array([0x50, 0x4b, 5, 6]))
})

test('the node\'s own token exports as the operator; an unknown subject is the exporter\'s 404; a body with fields is refused', async (t) => {
  const { inject, calls } = server(t)
  assert.equal((await inject({ method: 'POST', url: `/api/evidence/${id}`, headers: auth, payload: {} })).statusCode, 200)
  assert.deepEqual(calls, [[id, 'operator']])
  const unknown = await inject({ method: 'POST', url: `/api/evidence/b${'c'.repeat(58)}`, headers: auth, payload: {} })
  assert.equal(unknown.statusCode, 404)
  assert.equal(unknown.json().error.code, 'EVIDENCE_SUBJECT_NOT_FOUND')
  const extra = await inject({ method: 'POST', url: `/api/evidence/${id}`, headers: auth, payload: { purpose: 'x' } })
  assert.equal(extra.statusCode, 400)
  assert.equal(extra.json().error.code, 'VALIDATION_FAILED')
  assert.equal(calls.length, 2, 'a refused body reaches no exporter')
})
