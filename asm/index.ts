// The entry point scripts/build-wasm.mjs compiles: one module with the GEMM kernels and the
// dense layer's element-wise kernels, so one instance (and one linear memory) serves both.
export * from './gemm';
export * from './dense';
