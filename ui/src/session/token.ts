// The node prints its UI address with the API token in the fragment (`#token=…`): a fragment is never sent
// to a server nor written to its access log. The page moves it to sessionStorage (gone when the tab
// closes) and takes it out of the address bar, so it is not bookmarked, shared or left in history.

const KEY = 'porchlight.token'

export interface TokenPlace {
  location: { hash: string, pathname: string, search: string }
  history: { replaceState: (data: unknown, unused: string, url: string) => void }
  storage: { getItem: (key: string) => string | null, setItem: (key: string, value: string) => void }
}

/** Takes the token from the fragment (removing it) or from sessionStorage; undefined when neither has one. */
export function takeToken (place: TokenPlace): string | undefined {
  const params = new URLSearchParams(place.location.hash.replace(/^#/, ''))
  const fromUrl = params.get('token')
  if (fromUrl !== null && fromUrl !== '') {
    place.storage.setItem(KEY, fromUrl)
    params.delete('token')
    const rest = params.toString()
    place.history.replaceState(null, '', place.location.pathname + place.location.search + (rest === '' ? '' : `#${rest}`))
    return fromUrl
  }
  return place.storage.getItem(KEY) ?? undefined
}

export function storeToken (storage: TokenPlace['storage'], token: string): void {
  storage.setItem(KEY, token)
}

/** Forgets a token the node refused, so a reload does not try it again. */
export function forgetToken (storage: { removeItem: (key: string) => void }): void {
  storage.removeItem(KEY)
}
