import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, DataError, NonFiniteError, ShapeError,
  gradientDescent, LogisticRegression, Sequential, tensor, zeros, randn, cast,
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
});
