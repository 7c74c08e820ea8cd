export { uiSettings, uiOrigins, machineTimeZone, PMTILES_ROUTE, type UiSettingsService, type UiSettingsComponents } from './ui-settings.js'
export { uiRoutes } from './routes.js'
