/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
