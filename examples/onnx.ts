// Train, export to ONNX, run the file in onnxruntime and compare. Run: npx tsx examples/onnx.ts
import * as ort from 'onnxruntime-node';
import { Sequential, gradientDescent, planarFlower, transpose } from '../src/index.js';
import { exportONNX } from '../src/onnx.js';

const { X, Y } = planarFlower();
const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'small', seed: 2, rng: 'numpy' });
gradientDescent(net, X, Y, { learningRate: 1.2, iterations: 2000 });

const bytes = exportONNX(net); // input 'X' [batch, 2] (samples as rows), output 'probabilities' [batch, 1]
const session = await ort.InferenceSession.create(bytes);
const rows = transpose(X);
const { probabilities } = await session.run({ X: new ort.Tensor('float64', rows.data, [400, 2]) });
const ours = net.predictProba(X).toFlatArray();
const theirs = Array.from(probabilities!.data as Float64Array);
const maxDiff = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i]!)));
console.log(`ONNX file: ${bytes.length} bytes; onnxruntime vs nabla, max |difference| over 400 points: ${maxDiff.toExponential(2)}`);
