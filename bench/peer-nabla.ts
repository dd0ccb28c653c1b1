// nabla as a benchmark peer: one of its backends, float32, samples as columns (the seeds' layout).
import { fit, getBackend, GradientDescent, makeGradientDescentStep, matmul, Sequential, setBackend, sliceColumns, Tensor } from '../src/index.js';
import { MLP, MLP_NET, targetsColumns, type Data, type EpochRunner, type NetSpec, type Peer, type Product, type Trainer } from './common.js';

function network(spec: NetSpec): Sequential {
  return new Sequential({ layerSizes: spec.sizes, activations: spec.activations, seed: 1, dtype: 'float32' });
}

function columns(spec: NetSpec, data: Data): { X: Tensor; Y: Tensor } {
  const K = spec.sizes[spec.sizes.length - 1]!;
  return { X: new Tensor(data.x, [spec.sizes[0]!, data.m]), Y: new Tensor(targetsColumns(data.labels, K), [K, data.m]) };
}

export function nablaPeer(backend: string): Peer {
  setBackend(backend);
  return {
    name: `nabla-${backend}`,
    description: `nabla ${backend}: ${getBackend().description}`,

    matmul(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Product {
      const A = new Tensor(a, [M, K]), B = new Tensor(b, [K, N]);
      return { product: () => void matmul(A, B) };
    },

    matmul64(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Product {
      const A = new Tensor(a, [M, K]), B = new Tensor(b, [K, N]);
      return { product: () => void matmul(A, B) };
    },

    net(spec: NetSpec, data: Data): Trainer {
      const { X, Y } = columns(spec, data);
      const net = network(spec);
      // X and Y are checked and (on the WASM backends) copied into the compiled step once.
      return { step: makeGradientDescentStep(net, X, Y, spec.learningRate) };
    },

    mlp(data: Data): EpochRunner {
      const { X, Y } = columns(MLP_NET, data);
      const net = network(MLP_NET);
      const optimizer = new GradientDescent({ learningRate: MLP.learningRate });
      return {
        run(batches: number) {
          const samples = Math.min(batches * MLP.batchSize, data.m);
          const Xs = samples === data.m ? X : sliceColumns(X, 0, samples);
          const Ys = samples === data.m ? Y : sliceColumns(Y, 0, samples);
          let lastBatch = 0;
          const options = { batchSize: MLP.batchSize, epochs: 1, shuffle: false, optimizer } as const;
          const t = performance.now();
          fit(net, Xs, Ys, {
            ...options,
            onBatchEnd: () => {
              lastBatch = performance.now();
            },
          });
          const end = performance.now();
          // The same epoch again, with the training accuracy taken from each batch's step (as
          // Keras reports it) instead of a forward pass over all samples at the end.
          const t2 = performance.now();
          fit(net, Xs, Ys, { ...options, trainAccuracy: 'running' });
          const runningMs = performance.now() - t2;
          // The batch loop is the figure compared (tfjs runs a loop of steps); the whole call also
          // measures the training accuracy over all samples at the end of the epoch.
          return { ms: lastBatch - t, epochMs: end - t, runningMs };
        },
      };
    },
  };
}
