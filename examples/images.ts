// A folder of images (one sub-folder per class) → train → predict a picture.
// Run: npx tsx examples/images.ts — it first writes the course's cat pictures as PNG files
// into a temporary folder, laid out as your own data would be: <dir>/cat/*.png, <dir>/non-cat/*.png.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, Sequential, accuracy, fit } from '../src/index.js';
import { catVsNonCat, encodePNG, loadImageAsColumn, loadImageFolder } from '../src/node.js';

const dir = await mkdtemp(join(tmpdir(), 'nabla-images-'));
try {
  const { train, classes } = await catVsNonCat();
  for (const name of classes) await mkdir(join(dir, name), { recursive: true });
  const size = 64 * 64 * 3;
  for (let j = 0; j < train.Y.size; j++) {
    const png = encodePNG(train.images.subarray(j * size, (j + 1) * size), 64, 64);
    await writeFile(join(dir, classes[train.Y.data[j]!]!, `${j}.png`), png);
  }

  // Sub-folders sorted by name are the classes: cat = 0, non-cat = 1 here.
  const data = await loadImageFolder(dir, { width: 64, height: 64 });
  console.log(`X ${data.X.shape}, classes ${data.classNames.join(', ')}`);
  const net = new Sequential({ layerSizes: [12288, 20, 7, 1], activations: ['relu', 'relu', 'sigmoid'], init: 'scaled', seed: 1 });
  const history = fit(net, data.X, data.Y, { epochs: 40, batchSize: 32, optimizer: new Adam({ learningRate: 0.0005 }), validationSplit: 0.2, seed: 3 });
  console.log(`epochs ${history.epochs}, train accuracy ${history.accuracy.at(-1)?.toFixed(1)} %, validation ${history.valAccuracy.at(-1)?.toFixed(1)} %`);

  const picture = await loadImageAsColumn(data.files[0]!);
  const p = net.predictProba(picture).item();
  console.log(`${data.files[0]}: P(${data.classNames[1]}) = ${p.toFixed(3)}; overall ${accuracy(net, data.X, data.Y).toFixed(1)} %`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
