// The Porchlight protocol core: pure, browser-safe, Uint8Array in and out.
export * from './errors.js'
export * from './tlog/index.js'
export * from './envelope/index.js'
