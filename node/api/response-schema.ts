// A response schema checked against the protocol/api type it sends. Fastify serializes a response with its
// schema and sends only the properties the schema names, so a field added to the type but not to the
// schema would vanish from the wire without a word: `schema satisfies ResponseSchemaOf<T>` makes the
// compiler compare the two (every field of T named, no other; `required` only T's required fields).

/** The keys of T that are not optional. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends Pick<T, K>` holds exactly when K is optional in T
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T]

export interface ResponseSchemaOf<T> {
  $id?: string
  type: 'object'
  required: ReadonlyArray<RequiredKeys<T>>
  properties: { readonly [K in keyof T]-?: object }
}
