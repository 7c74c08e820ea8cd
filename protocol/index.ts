// The Porchlight protocol core: pure, browser-safe, Uint8Array in and out.
export * from './errors.js'
export * from './tlog/index.js'
export * from './envelope/index.js'
export * from './codec/index.js'
export * from './messages/index.js'
export * from './signing/index.js'
export * from './geo/index.js'
export * from './limits/index.js'
