// TensorFlow.js as a benchmark peer: its pure-JavaScript 'cpu' backend or its WASM backend
// (@tensorflow/tfjs-backend-wasm, loaded from the .wasm files inside the npm package — nothing is
// downloaded). float32, samples as columns — the same matrix shapes and products as nabla's
// (and the faster layout for tfjs-wasm, whose transposed matMul, which the gradients need, is
// slow: dW = dZ·Xᵀ costs less than the rows layout's Xᵀ·dZ). Each iteration is the forward pass,
// the cost, tf.variableGrads and the SGD update, inside tf.tidy — no tf.Model or model.fit.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MLP, MLP_NET, targetsColumns, type Activation, type Data, type EpochRunner, type NetSpec, type Peer, type Product, type Trainer } from './common.js';

function activate(g: Activation, z: tf.Tensor2D): tf.Tensor2D {
  switch (g) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'softmax': // over the units: axis 0 (tf.softmax only takes the last axis)
      return tf.exp(logSoftmax0(z));
  }
}

function logSoftmax0(z: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(z, tf.logSumExp(z, 0, true));
}

/** The cost from the output layer's logits Z (K, m), as nabla computes it. */
function cost(g: Activation, Z: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
  const m = Z.shape[1];
  if (g === 'sigmoid') return tf.div(tf.sum(tf.sub(tf.softplus(Z), tf.mul(Y, Z))), m); // BCE with logits
  if (g === 'softmax') return tf.div(tf.neg(tf.sum(tf.mul(Y, logSoftmax0(Z)))), m); // categorical CE
  return tf.div(tf.sum(tf.square(tf.sub(activate(g, Z), Y))), m);
}

/** A dense net's variables: W[l] (n[l], n[l−1]) scaled randn/√n[l−1], b[l] (n[l], 1) zeros. */
class Net {
  readonly vars: tf.Variable[] = [];
  readonly W: tf.Variable<tf.Rank.R2>[] = [];
  readonly b: tf.Variable<tf.Rank.R2>[] = [];
  readonly lr: tf.Scalar;

  constructor(readonly spec: NetSpec) {
    spec.sizes.slice(1).forEach((n, l) => {
      const nIn = spec.sizes[l]!;
      const W = tf.variable(tf.randomNormal<tf.Rank.R2>([n, nIn], 0, 1 / Math.sqrt(nIn), 'float32', l + 1), true, `${spec.tag}_W${l + 1}`);
      const b = tf.variable(tf.zeros<tf.Rank.R2>([n, 1]), true, `${spec.tag}_b${l + 1}`);
      this.W.push(W);
      this.b.push(b);
      this.vars.push(W, b);
    });
    this.lr = tf.scalar(spec.learningRate);
  }

  /** One gradient-descent step on (X, Y); returns the cost before it. */
  step(X: tf.Tensor2D, Y: tf.Tensor2D): number {
    return tf.tidy(() => {
      const L = this.W.length;
      const f = (): tf.Scalar => {
        let A = X;
        for (let l = 0; l < L; l++) {
          const Z = tf.add<tf.Tensor2D>(tf.matMul(this.W[l]!, A), this.b[l]!);
          if (l === L - 1) return cost(this.spec.activations[l]!, Z, Y);
          A = activate(this.spec.activations[l]!, Z);
        }
        throw new Error('unreachable');
      };
      const { value, grads } = tf.variableGrads(f, this.vars);
      for (const v of this.vars) v.assign(tf.sub(v, tf.mul(this.lr, grads[v.name]!)));
      return value.dataSync()[0]!;
    });
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
    this.lr.dispose();
  }
}

function columns(spec: NetSpec, data: Data): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const n0 = spec.sizes[0]!, K = spec.sizes[spec.sizes.length - 1]!;
  return { X: tf.tensor2d(data.x, [n0, data.m]), Y: tf.tensor2d(targetsColumns(data.labels, K), [K, data.m]) };
}

/** Columns start … start+size−1 of a row-major (n, m) matrix, as an (n, size) tensor. */
function batch(data: Float32Array, n: number, m: number, start: number, size: number): tf.Tensor2D {
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) out.set(data.subarray(i * m + start, i * m + start + size), i * size);
  return tf.tensor2d(out, [n, size]);
}

export async function tfjsPeer(backend: 'cpu' | 'wasm'): Promise<Peer> {
  tf.enableProdMode();
  let details = 'pure JavaScript';
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The package's own .wasm files, read from disk: a directory path with a trailing slash.
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its '${backend}' backend`);
  await tf.ready();
  if (backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    details = `SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi-threaded' : 'one thread'}`;
  }
  return {
    name: `tfjs-${backend}`,
    description: `tfjs ${backend}: @tensorflow/tfjs ${tf.version.tfjs} '${tf.getBackend()}' backend, ${details}`,

    matmul(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Product {
      const A = tf.tensor2d(a, [M, K]), B = tf.tensor2d(b, [K, N]);
      return {
        // Both backends run kernels synchronously: the product is computed when matMul returns.
        product: () => tf.matMul(A, B).dispose(),
        dispose: () => tf.dispose([A, B]),
      };
    },

    net(spec: NetSpec, data: Data): Trainer {
      const { X, Y } = columns(spec, data);
      const net = new Net(spec);
      return {
        step: () => net.step(X, Y),
        dispose: () => {
          net.dispose();
          tf.dispose([X, Y]);
        },
      };
    },

    // The data set stays in JavaScript memory and each batch's columns are copied into a tensor,
    // as nabla's fit takes each batch's columns (tf.slice of a (784, 60000) tensor is far slower).
    mlp(data: Data): EpochRunner {
      const net = new Net(MLP_NET);
      const [n0, K] = [MLP.sizes[0], MLP.sizes[2]];
      const y = targetsColumns(data.labels, K);
      return {
        run(batches: number) {
          const t = performance.now();
          for (let k = 0, start = 0; k < batches && start < data.m; k++, start += MLP.batchSize) {
            const size = Math.min(MLP.batchSize, data.m - start);
            const Xb = batch(data.x, n0, data.m, start, size), Yb = batch(y, K, data.m, start, size);
            net.step(Xb, Yb);
            tf.dispose([Xb, Yb]);
          }
          const ms = performance.now() - t;
          return { ms, epochMs: ms };
        },
        dispose: () => net.dispose(),
      };
    },
  };
}
