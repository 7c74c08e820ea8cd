// Vite bundles CSS imports; TypeScript only needs to know they exist.
declare module '*.css'
// `?worker&url`: Vite bundles the module as a worker of its own and gives its URL (MapLibre's worker).
declare module '*?worker&url' {
  const url: string
  export default url
}
