// A phone's browser, as far as the API sees it, for the phone test (test/integration/network/phone.test.ts),
// run inside the phone's network namespace:
//   node phone-client.mjs BASE_URL FINGERPRINT STEPS_JSON
// First it looks at the certificate the node presents without sending anything (what the browser's warning
// shows) and goes on only if its SHA-256 is the fingerprint `porchlight pair` printed; then it trusts that
// certificate alone, with the usual name check (the certificate must name the address the link has), and
// makes each step's request. STEPS_JSON: [{ "method", "path", "token"?, "plain"?, "body"? }]; `plain` sends
// it over plain HTTP to the same port instead; `body` returns the answer's text. Prints one JSON line:
// { fingerprint, results: [{ status, code?, items?, body? }] } (`items`: the length of an answer's `items`).
import { connect } from 'node:tls'
import { request as httpsRequest } from 'node:https'
import { request as httpRequest } from 'node:http'
import { X509Certificate } from 'node:crypto'

const [base, expected, stepsJson] = process.argv.slice(2)
const url = new URL(base)
const steps = JSON.parse(stepsJson)

const presented = await new Promise((resolve, reject) => {
  const socket = connect({ host: url.hostname, port: Number(url.port), servername: undefined, rejectUnauthorized: false }, () => {
    const der = socket.getPeerCertificate(false).raw
    socket.end()
    resolve(new X509Certificate(der))
  })
  socket.on('error', reject)
})
if (presented.fingerprint256 !== expected) {
  // On stderr: the caller's error for a failed command carries it.
  console.error(JSON.stringify({ fingerprint: presented.fingerprint256, error: 'FINGERPRINT_MISMATCH' }))
  process.exit(3)
}

async function send (step) {
  const headers = step.token === undefined ? {} : { authorization: `Bearer ${step.token}` }
  const target = new URL(step.path, base)
  const plain = step.plain === true
  if (plain) target.protocol = 'http:'
  return await new Promise((resolve) => {
    const options = { method: step.method, headers, ...(plain ? {} : { ca: presented.toString() }) }
    const req = (plain ? httpRequest : httpsRequest)(target, options, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { body += d })
      res.on('end', () => {
        let code
        try { code = JSON.parse(body).error?.code } catch { /* not JSON */ }
        const items = safeParse(body)?.items
        resolve({ status: res.statusCode, ...(code === undefined ? {} : { code }), ...(Array.isArray(items) ? { items: items.length } : {}), ...(step.body === true ? { body } : {}) })
      })
    })
    req.on('error', (err) => { resolve({ status: 0, code: err.code ?? String(err) }) })
    req.end()
  })
}

function safeParse (text) {
  try { return JSON.parse(text) } catch { return undefined }
}

const results = []
for (const step of steps) results.push(await send(step))
console.log(JSON.stringify({ fingerprint: presented.fingerprint256, results }))
