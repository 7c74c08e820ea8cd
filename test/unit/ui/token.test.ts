import { test } from 'node:test'
import assert from 'node:assert/strict'
import { takeToken, type TokenPlace } from '../../../ui/src/session/token.js'

function place (hash: string, stored?: string) {
  const storage = new Map<string, string>(stored === undefined ? [] : [['porchlight.token', stored]])
  const urls: string[] = []
  const p: TokenPlace = {
    location: { hash, pathname: '/', search: '?x=1' },
    history: { replaceState: (_d, _u, url) => { urls.push(url) } },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => { storage.set(k, v) } }
  }
  return { p, storage, urls }
}

test('the token moves from the fragment to session storage and leaves the address bar', () => {
  const { p, storage, urls } = place('#token=abc_-1&tab=x')
  assert.equal(takeToken(p), 'abc_-1')
  assert.equal(storage.get('porchlight.token'), 'abc_-1')
  assert.deepEqual(urls, ['/?x=1#tab=x'])
})

test('without a fragment the stored token is used; with neither there is none', () => {
  assert.equal(takeToken(place('', 'kept').p), 'kept')
  const none = place('')
  assert.equal(takeToken(none.p), undefined)
  assert.deepEqual(none.urls, [])
})
