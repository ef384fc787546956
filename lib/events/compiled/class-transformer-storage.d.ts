// class-transformer's metadata storage module, reached through this package's "imports" map
// (package.json): it ships no types for it; hydrate-plan.ts checks its shape before use.
declare module "#class-transformer-storage" {
  export const defaultMetadataStorage: unknown;
}
