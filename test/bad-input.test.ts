import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, DataError, NonFiniteError, ShapeError,
  gradientDescent, gradientDescentStep, LogisticRegression, Sequential, tensor, zeros, randn, cast, full, add, fit, accuracy,
  planarFlower, transpose, gradCheck, oneHot,
} from '../src/index.js';

describe('bad input gets a clear error naming what and where', () => {
  const net = () => new Sequential({ layerSizes: [12288, 20, 7, 5, 1], seed: 1 });

  it('a layer whose W does not fit A[l−1], in the seeds’ terms', () => {
    const n = net();
    const A1 = zeros([12, 209]);
    expect(() => n.layers[1]!.forward(A1)).toThrow(ShapeError);
    expect(() => n.layers[1]!.forward(A1)).toThrow('layer 2: W[2] is (7, 20) but A[1] is (12, 209): expected 20 rows');
  });

  it('X with samples as rows is called transposed', () => {
    const lr = new LogisticRegression(3);
    expect(() => gradientDescent(lr, zeros([5, 3]), zeros([1, 5]), { learningRate: 0.1, iterations: 1 })).toThrow(/X is \(5, 3\) .* looks transposed/);
  });

  it('Y with the wrong number of samples', () => {
    const lr = new LogisticRegression(2);
    expect(() => gradientDescent(lr, zeros([2, 4]), zeros([1, 3]), { learningRate: 0.1, iterations: 1 })).toThrow(/Y is \(1, 3\) but must be \(n_y, m\) = \(1, 4\)/);
  });

  it('in a large X, the first non-finite value is named, whichever block of the scan it is in', () => {
    // assertFinite scans whole blocks of 1024 values first, then the rest one by one.
    const where = (cells: Array<[number, number]>): string => {
      const X = zeros([3, 1500]);
      for (const [i, v] of cells) X.data[i] = v;
      try {
        gradientDescent(new LogisticRegression(3), X, zeros([1, 1500]), { learningRate: 0.1, iterations: 1 });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(where([[2100, -Infinity], [3000, NaN]])).toBe('X: contains -Inf at row 1, column 600');
    expect(where([[1023, Infinity], [1024, NaN]])).toBe('X: contains Inf at row 0, column 1023');
    expect(where([[4499, NaN]])).toBe('X: contains NaN at row 2, column 1499');
    expect(where([[4096, NaN], [4095, 1e10]])).toBe('X: contains NaN at row 2, column 1096');
    expect(where([[0, 1e10], [4499, -1e10]])).toBe('no error');
  });

  it('NaN or Inf in the data, named with its position', () => {
    const lr = new LogisticRegression(2);
    const X = tensor([[1, NaN], [0, 1]]);
    expect(() => gradientDescent(lr, X, tensor([[0, 1]]), { learningRate: 0.1, iterations: 1 })).toThrow(DataError);
    expect(() => gradientDescent(lr, X, tensor([[0, 1]]), { learningRate: 0.1, iterations: 1 })).toThrow('X: contains NaN at row 0, column 1');
    expect(() => gradientDescent(lr, tensor([[1, 2], [0, 1]]), tensor([[0, Infinity]]), { learningRate: 0.1, iterations: 1 })).toThrow('Y: contains Inf');
  });

  it('labels outside {0, 1} for binary cross-entropy', () => {
    const lr = new LogisticRegression(1);
    expect(() => gradientDescent(lr, tensor([[1, 2]]), tensor([[0, 2]]), { learningRate: 0.1, iterations: 1 })).toThrow('Y: binary cross-entropy needs labels 0 or 1, found 2 at row 0, column 1');
  });

  it('a dtype mix between data and parameters', () => {
    const lr = new LogisticRegression(1);
    expect(() => gradientDescent(lr, cast(tensor([[1, 2]]), 'float32'), tensor([[0, 1]]), { learningRate: 0.1, iterations: 1 })).toThrow(DTypeError);
  });

  it('an empty dataset', () => {
    const lr = new LogisticRegression(2);
    expect(() => gradientDescent(lr, zeros([2, 0]), zeros([1, 0]), { learningRate: 0.1, iterations: 1 })).toThrow('X: the dataset is empty');
  });

  it('a non-positive learning rate, and nonsense network settings', () => {
    const lr = new LogisticRegression(1);
    for (const learningRate of [0, -1, NaN]) {
      expect(() => gradientDescent(lr, tensor([[1]]), tensor([[1]]), { learningRate, iterations: 1 })).toThrow(ArgumentError);
    }
    expect(() => gradientDescent(lr, tensor([[1]]), tensor([[1]]), { learningRate: 0, iterations: 1 })).toThrow('learningRate: must be a finite number > 0, got 0');
    expect(() => new Sequential({ layerSizes: [2, 0, 1] })).toThrow('layerSizes: n[1] = 0');
    expect(() => new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh'] })).toThrow(ArgumentError);
    expect(() => new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'swish' as 'tanh'] })).toThrow('layer 2: unknown activation "swish"');
    expect(() => new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'tanh'], loss: 'binaryCrossEntropy' })).toThrow(/needs a sigmoid output/);
    expect(() => new Sequential({ layerSizes: [2, 3, 1], init: 'zeros' })).toThrow(/symmetry/);
    expect(() => new Sequential({ layerSizes: [2, 3, 1], init: ['he'] })).toThrow('init: 1 initializers for 2 layers');
    // Per layer: He for the relu layer, Xavier for the output.
    const net = new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'sigmoid'], init: ['he', 'zeros'], seed: 1 });
    expect(net.getParameter('W2').toFlatArray()).toEqual([0, 0, 0]);
  });

  it('a cost that becomes non-finite stops training, naming the iteration and suggesting a smaller learning rate', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'linear'], loss: 'squaredError', seed: 1 });
    const X = randn([2, 20], { seed: 1 });
    const Y = randn([1, 20], { seed: 2 });
    let error: unknown;
    try {
      gradientDescent(n, X, Y, { learningRate: 1e6, iterations: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(String((error as Error).message)).toMatch(/^iteration \d+: the cost became (NaN|Infinity) .* try a smaller learning rate than 1000000/);
  });

  it('setting a parameter of the wrong shape', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    expect(() => n.setParameter('W1', zeros([2, 3]))).toThrow('W1: W1 is (3, 2) but the new value is (2, 3)');
    expect(() => n.getParameter('W9')).toThrow(/has W1, b1, W2, b2/);
  });

  it('a parameter set to NaN, or assigned through a layer, is checked as setParameter checks it; the old values stay', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    const before = Array.from(n.getParameter('W2').data);
    expect(() => n.setParameter('W2', full([1, 3], NaN))).toThrow('W2: contains NaN at row 0, column 0');
    expect(Array.from(n.getParameter('W2').data)).toEqual(before);
    const W1 = n.layers[0]!.W;
    expect(() => { n.layers[0]!.W = zeros([7, 20]); }).toThrow('W1: W1 is (3, 2) but the new value is (7, 20)');
    expect(() => { n.layers[0]!.b = zeros([3, 1], { dtype: 'float32' }); }).toThrow(DTypeError);
    // A good assignment copies the values into the same tensor, which optimizers and compiled steps hold.
    n.layers[0]!.W = full([3, 2], 0.5);
    expect(n.layers[0]!.W).toBe(W1);
    expect(Array.from(W1.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(() => n.setParameter('W1', [[1, 2]] as never)).toThrow('W1: must be a Tensor (make one with tensor(…)), got an array of 1');
  });

  it('gradientDescentStep checks its learning rate as gradientDescent does, before touching the weights', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    const { X, Y } = planarFlower({ m: 40 });
    const before = Array.from(n.getParameter('W1').data);
    for (const bad of [-1, 0, NaN, Infinity, undefined, '0.5']) {
      expect(() => gradientDescentStep(n, X, Y, bad as never)).toThrow(/^learningRate: must be a finite number > 0/);
    }
    expect(Array.from(n.getParameter('W1').data)).toEqual(before);
  });

  it('a one-unit softmax output, which can only ever say 1', () => {
    expect(() => new Sequential({ layerSizes: [2, 4, 1], activations: ['relu', 'softmax'] })).toThrow(/softmax output over n\[2\] = 1 unit .* use sigmoid/);
  });

  it('cost checks the labels as training does', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    expect(() => n.cost(zeros([2, 2]), tensor([[0, 2]]))).toThrow('Y: binary cross-entropy needs labels 0 or 1, found 2 at row 0, column 1');
    expect(() => new LogisticRegression(2).cost(zeros([2, 2]), tensor([[0.5, 1]]))).toThrow('found 0.5 at row 0, column 0');
    const soft = new Sequential({ layerSizes: [2, 3], activations: ['softmax'], seed: 1 });
    expect(() => soft.cost(zeros([2, 2]), tensor([[1, 0], [0, 0], [0, 0]]))).toThrow('column 1 has 0 ones');
  });

  it('a plain array or a missing argument from JavaScript is named, not a TypeError from inside', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    expect(() => gradientDescent(n, [[1, 2], [3, 4]] as never, zeros([1, 2]), { learningRate: 0.1, iterations: 1 })).toThrow('X: must be a Tensor (make one with tensor(…)), got an array of 2');
    expect(() => n.predict(new Float64Array(4) as never)).toThrow('X: must be a Tensor (make one with tensor(…)), got a Float64Array');
    expect(() => fit(n, zeros([2, 4]), undefined as never)).toThrow('Y: must be a Tensor (make one with tensor(…)), got undefined');
    expect(() => accuracy(n, zeros([2, 4]), undefined as never)).toThrow('Y: must be a Tensor');
    expect(() => add(zeros([2]), null as never)).toThrow('add: b: must be a Tensor (make one with tensor(…)), got null');
    expect(() => new Sequential(undefined as never)).toThrow(/^Sequential: options must be an object \{ layerSizes,/);
    expect(() => gradCheck(() => n.cost(zeros([2, 2]), zeros([1, 2])), [n.getParameter('W1')] as never)).toThrow('gradCheck: parameters must be a Map');
    expect(() => oneHot([0, 1, 2] as never, 3)).toThrow('oneHot: labels: must be a Tensor');
  });

  it('tensor() takes any typed array as a flat list, and names a non-number', () => {
    expect(tensor(new Int32Array([1, 2])).toArray()).toEqual([1, 2]);
    expect(tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tensor(new Uint8Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => tensor(['1', 'a'] as never)).toThrow('tensor: element at [0] is the string "1", not a number');
    expect(() => tensor([[1, 2], [3, [4]]] as never)).toThrow('is nested deeper than the others');
    expect(() => tensor(null as never)).toThrow('tensor: values must be a number, a (nested) array of numbers or a typed array, got null');
  });

  it('a regression network predicts values, and accuracy says it has no classes', () => {
    const n = new Sequential({ layerSizes: [1, 1], activations: ['linear'], seed: 1 });
    n.setParameter('W1', tensor([[3]]));
    expect(n.predict(tensor([[1, 2]])).toArray()).toEqual([[3, 6]]);
    expect(() => accuracy(n, tensor([[1, 2]]), tensor([[3, 6]]))).toThrow(/^accuracy: this model predicts values, not classes/);
  });

  it("layout: 'rows' errors quote the user's own shapes and positions", () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    const { X, Y } = planarFlower({ m: 40 });
    const Xr = transpose(X), Yr = transpose(Y);
    const rows = { layout: 'rows' as const, epochs: 1 };
    expect(() => fit(n, Xr, Y, rows)).toThrow("Y: Y is (1, 40) but with layout: 'rows' it must be (m, n_y) = (40, 1) to match X (40, 2): it looks like a row of labels");
    expect(() => fit(n, X, Yr, rows)).toThrow("X: X is (2, 40) but with layout: 'rows' it must be (m, n_x) = (m, 2): one row per sample: it looks like samples are columns already (n_x, m): drop layout: 'rows'");
    expect(() => fit(n, zeros([40, 3]), Yr, rows)).toThrow("X is (40, 3) but with layout: 'rows' it must be (m, n_x) = (m, 2)");
    const bad = Float64Array.from(Yr.data); bad[17] = 2;
    expect(() => fit(n, Xr, tensor(Array.from(bad), { shape: [40, 1] }), rows)).toThrow('found 2 at row 17, column 0');
    const nan = Float64Array.from(Xr.data); nan[7] = NaN;
    expect(() => fit(n, tensor(Array.from(nan), { shape: [40, 2] }), Yr, rows)).toThrow('X: contains NaN at row 3, column 1');
    const soft = new Sequential({ layerSizes: [2, 3], activations: ['softmax'], seed: 1 });
    expect(() => fit(soft, Xr, zeros([40, 3]), rows)).toThrow('categorical cross-entropy needs one-hot rows: row 0 has 0 ones');
  });

  it('validation data is named as validationData, not as the training X and Y', () => {
    const n = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    const { X, Y } = planarFlower({ m: 40 });
    expect(() => fit(n, X, Y, { epochs: 1, validationData: { X: transpose(X), Y } })).toThrow(/^validationData\.X: X is \(40, 2\)/);
    const nan = Float64Array.from(X.data); nan[5] = NaN;
    expect(() => fit(n, X, Y, { epochs: 1, validationData: { X: tensor(Array.from(nan), { shape: [2, 40] }), Y } })).toThrow('validationData.X: contains NaN at row 0, column 5');
    let caught: unknown;
    try { fit(n, X, Y, { epochs: 1, validationData: { X, Y: full([1, 40], 3) } }); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(DataError);
    expect((caught as DataError).where).toBe('validationData.Y');
  });
});
