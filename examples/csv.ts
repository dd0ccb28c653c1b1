// CSV → train → evaluate → predict. Run: npx tsx examples/csv.ts
import { Adam, Sequential, accuracy, applyScaler, confusionMatrix, fit, parseCSV, f1Score } from '../src/index.js';
import { loadCSV } from '../src/node.js';

// Label column by name; features standardized (the fitted scaler is returned to reuse later).
const data = await loadCSV(new URL('./data/moons.csv', import.meta.url).pathname, { label: 'label', scale: 'standardize' });
console.log(`X ${data.X.shape}, classes ${data.classNames?.join('/')}`);

const net = new Sequential({ layerSizes: [2, 16, 16, 1], activations: ['relu', 'relu', 'sigmoid'], init: 'he', seed: 1 });
const history = fit(net, data.X, data.Y, {
  epochs: 200, batchSize: 32, optimizer: new Adam({ learningRate: 0.01 }),
  validationSplit: 0.2, earlyStopping: { patience: 20 }, seed: 2,
});
console.log(`trained ${history.epochs} epochs, best validation epoch ${history.bestEpoch}`);
console.log(`accuracy ${accuracy(net, data.X, data.Y).toFixed(1)} %, F1 ${f1Score(net.predict(data.X), data.Y).toFixed(3)}`);
console.log('confusion matrix', JSON.stringify(confusionMatrix(net.predict(data.X), data.Y)));

// Predict new rows: same columns, same scaler.
const fresh = parseCSV('x1,x2,label\n0.0,1.0,upper\n1.0,-0.5,lower\n', { label: 'label', labels: 'binary' });
const P = net.predictProba(applyScaler(data.scaler!, fresh.X));
console.log(`P(${data.classNames?.[1]}) for two new points:`, P.toFlatArray().map((p) => p.toFixed(3)).join(', '));
