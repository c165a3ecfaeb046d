// The engine's WebAssembly core: one module holding every scanning kernel, so a worker compiles one
// file. Each kernel lives in its own source file and is re-exported here; `alloc` (anchors.as.ts)
// is the one allocator they share. Each user instantiates the module for itself.
export * from './anchors.as';
export * from './shingles.as';
export * from './islands.as';
export * from './aes-schedule.as';
export * from './prime-candidates.as';
