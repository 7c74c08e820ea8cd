// The node's UI settings (GET /api/ui), read once per page: the base map and address search every map
// uses, and an agency's time zone, which every time on its pages is shown in.
import type { ApiClient } from '../api/client.js'
import type { UiSettings } from '../api/types.js'
import { useLoad, type Loaded } from './ui.js'

// By token: the page makes a new client on each render of its root, for the same node and token.
const loaded = new Map<string, Promise<UiSettings>>()

/**
 * The settings, one request per client. A node too old to answer /api/ui (or a failure) reads as no base
 * map and no geocoder, so maps still draw their cells.
 */
export function uiSettingsOf (api: ApiClient): Promise<UiSettings> {
  const key = api.credentials.token
  let p = loaded.get(key)
  if (p === undefined) loaded.set(key, p = api.uiSettings().catch((): UiSettings => ({ map: { kind: 'none' } })))
  return p
}

export function useUiSettings (api: ApiClient): Loaded<UiSettings> {
  return useLoad(async () => await uiSettingsOf(api), [api.credentials.token])
}

/** The IANA zone times on this page are shown in: the agency's, else undefined (the browser's own). */
export function useTimeZone (api: ApiClient): string | undefined {
  return useUiSettings(api).data?.timeZone
}
