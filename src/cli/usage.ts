/**
 * The help texts of `nabla` and of each command, laid out as a Unix tool's: synopsis, what
 * it does, the arguments, the options with their defaults, examples, the exit status.
 * Defaults are interpolated from defaults.ts, so the text cannot drift from the code.
 */
import { BUILTIN_DATA, EXPERIMENTS, EXPORT_DEFAULTS, FIT_DEFAULTS, NETWORK_DEFAULTS, TRAIN_DEFAULTS, type CommandName } from './defaults.js';

const EXIT_STATUS = `Exit status:
  0  done
  1  an error: a file missing or invalid, bad data, training diverged, …
  2  a usage mistake: unknown command or option, a bad value (the message names the
     flag), an unknown NABLA_BACKEND`;

const DATA_TEXT = `Data (<data>):
  FILE.csv          one sample per line; the label is the column --label (default:
                    the last); .tsv files are tab-separated
  FOLDER/           pictures (PNG, JPEG) in one sub-folder per class, e.g. pets/cat/,
                    pets/dog/; resized to --image-size and divided by 255
  IMAGES-idx3-ubyte MNIST-style IDX images (.gz works too) with --idx-labels LABELS
  ${BUILTIN_DATA.filter((d) => d !== 'cat').join(', ')}
                    built-in 2-D sets of 400 points (flower: the course's
                    planar data; spirals and blobs: 3 classes)
  cat               the course's 209 cat vs non-cat training pictures (64x64)`;

const DATA_OPTIONS_TEXT = `Data options:
  --label <col>         CSV: the label column, by header name or number counted
                        from 1 (-1: the last) (default: the last column)
  --labels <kind>       CSV: binary, classes or regression (default: detected —
                        2 values: binary; up to 20 whole numbers or words: classes;
                        other numbers: regression)
  --scale <how>         CSV: standardize, minmax or none (default standardize); the
                        fitted scaler is saved with the model and applied by eval
                        and predict
  --delimiter <c>       CSV: the cell separator, one character or 'tab' (default ','
                        for .csv, tab for .tsv)
  --layout <l>          CSV: rows (one sample per line, default) or columns (one
                        sample per column, as the course's X of shape (n_x, m))
  --image-size <WxH>    folders of pictures: the size to resize to (default ${FIT_DEFAULTS.imageSize.width}x${FIT_DEFAULTS.imageSize.height})
  --idx-labels <file>   IDX: the labels file that goes with the images file <data>`;

function networkText(command: 'train' | 'gradcheck' | 'explain'): string {
  const d = NETWORK_DEFAULTS[command];
  return `Network options:
  --layers <n,n,...>    hidden layer sizes (default ${d.layers.join(',')})
  --activation <g>      the hidden layers' activation: relu, tanh, sigmoid,
                        leakyRelu or linear (default ${d.activation})
  --activations <g,...> every layer's activation, the output's last, e.g.
                        relu,relu,sigmoid (instead of --activation)
  --loss <name>         bce (binary cross-entropy), cce (categorical) or mse
                        (squared error) (default: from the labels)
  --init <name>         zeros, small, scaled, xavier or he (default scaled:
                        W = randn/√n[l−1], b = 0)
  --seed <n>            seed of the weights${command === 'train' ? ', the shuffling, dropout and the\n                        validation split' : ' and of the samples taken'} (default ${FIT_DEFAULTS.seed})`;
}

const OUTPUT_LAYER_TEXT = `The output layer follows the labels: 2 classes → 1 sigmoid unit and binary
cross-entropy; K > 2 classes → K softmax units and categorical cross-entropy;
numeric labels → 1 linear unit and squared error.`;

export const USAGE = `nabla — neural networks by forward propagation, backpropagation and gradient descent

Usage:
  nabla train [<data>] [options]             train a network, write a run folder
  nabla eval --model <file> <data>           accuracy, precision, recall, F1, confusion
                                             matrix, log loss, ROC AUC
  nabla predict --model <file> <data.csv>    one prediction per CSV row
  nabla predict --model <file> <image>...    the class of each picture (PNG or JPEG)
  nabla gradcheck [<data>] [options]         backprop's gradients against numerical ones
  nabla explain [<data>] [options]           one training step, traced in the course's
                                             notation: Z[l], A[l], dZ[l], dW[l], db[l]
  nabla export --onnx <out> --model <file>   the model as an ONNX file
  nabla reproduce <experiment>               the course's published figures beside nabla's
  nabla <command> --help                     options of a command
  nabla --help                               this help
  nabla --version                            nabla's version

<data> is a CSV file, a folder of pictures with one sub-folder per class, an IDX
images file (with --idx-labels), or a built-in set:
  ${BUILTIN_DATA.join(', ')}.
Without <data>, 'nabla train' trains the course's cat classifier as the course does.

Experiments: ${EXPERIMENTS.join(', ')}

Environment:
  NABLA_BACKEND=<name>  the kernels to compute with: cpu, wasm or wasm-threads
                        (default: the fastest available; 'nabla --version' names it)

Examples:
  nabla train
  nabla train iris.csv --label species --validation-split 0.2 --early-stopping 10
  nabla eval --model runs/<run>/model.safetensors iris-test.csv
  nabla predict --model runs/<run>/model.safetensors new-flowers.csv
  nabla train moons --layers 8,8 --optimizer adam --json
  nabla gradcheck flower
  nabla predict --model runs/<run>/model.safetensors my_cat.jpg
  nabla reproduce l-layer

${EXIT_STATUS}
`;

export const COMMAND_USAGE: Record<CommandName, string> = {
  train: `Usage: nabla train [<data>] [options]
       nabla train [--iterations <n>] [--learning-rate <a>] [--layers <n,n,...>]

Trains a network on <data> with mini-batch gradient descent and writes a run folder
<out>/<time>-<data>/ with
  model.safetensors       weights, architecture, preprocessing and class names
                          (what eval, predict and export read)
  history.csv             epoch, cost, val_cost, accuracy, val_accuracy
  cost-curve.svg          the training (and validation) cost per epoch
  decision-boundary.svg   for 2-D data: P(class) over the plane, under the points

${OUTPUT_LAYER_TEXT}

Without <data>, trains the course's L-layer network [12288, ${TRAIN_DEFAULTS.layers.join(', ')}, 1] (relu
hidden layers, sigmoid output) on the embedded cat vs non-cat pictures by
gradient descent from the course's initial weights (numpy RandomState(1)), and
writes model.safetensors, costs.csv, cost-curve.svg and report.html. That job
takes only:
  --iterations <n>      gradient-descent iterations (default ${TRAIN_DEFAULTS.iterations})
  --learning-rate <a>   step size, a number > 0 (default ${TRAIN_DEFAULTS.learningRate})
  --layers <n,n,...>    hidden layer sizes (default ${TRAIN_DEFAULTS.layers.join(',')}); one hidden layer
                        uses W = 0.01*randn, more use randn/sqrt(n[l-1])
  --dtype, --out, --quiet as below

${DATA_TEXT}

${DATA_OPTIONS_TEXT}

${networkText('train')}
  --dropout <p>         inverted dropout on the hidden layers while training, p in
                        [0, 1) (default 0: off)
  --dtype <type>        float64 or float32 (default float64)

Training options:
  --optimizer <name>    gd, momentum, rmsprop or adam (default ${FIT_DEFAULTS.optimizer})
  --learning-rate <a>   step size α > 0 (default ${FIT_DEFAULTS.learningRate})
  --beta1 <b>           adam: β1 in [0, 1) (default 0.9)
  --beta2 <b>           adam: β2 (default 0.999); rmsprop: ρ (default 0.99)
  --momentum <b>        momentum: β in [0, 1) (default 0.9)
  --epochs <n>          passes over the training data (default ${FIT_DEFAULTS.epochs})
  --batch-size <n>      samples per update (default ${FIT_DEFAULTS.batchSize}; all of them if fewer)
  --iterations <n>      full-batch gradient descent: n epochs of one update each
                        (instead of --epochs and --batch-size)
  --l2 <λ>              L2 regularization: J + λ/(2m)·Σ‖W[l]‖² (default 0)
  --clip-norm <c>       scale the gradients down to a global L2 norm of at most c
                        before each update (default: off)
  --train-accuracy <how>
                        the accuracy shown each epoch: epoch-end (default: every
                        training sample, by the weights the epoch ended with; one
                        more forward pass) or running (each batch's, before its
                        update, averaged over the epoch, as Keras reports; free)
  --validation-split <f>
                        hold out a random fraction f in (0, 1) of the samples for
                        validation (default: none)
  --early-stopping <n>  stop after n epochs without a lower validation cost (the
                        training cost without a split) and keep the best epoch's
                        weights (default: off)
  --checkpoint-every <n>
                        write <run folder>/checkpoint.safetensors every n epochs
                        (atomically; default: only when interrupted)
  --resume <file>       continue from a checkpoint: same data and options give the
                        same costs as a run that was never stopped. The data,
                        --layers/--activation/--loss, --dtype, --optimizer and
                        --validation-split must match the checkpoint's; --epochs is
                        the total and must exceed its epoch; a new --learning-rate
                        applies from the resumed epoch. Ctrl-C during training
                        finishes the epoch, writes a checkpoint and says where it is

Output options:
  --out <dir>           folder for run folders (default ${TRAIN_DEFAULTS.out})
  --json                machine-readable: one JSON object per epoch on stdout, then
                        one summary object ({"type":"summary", …})
  -q, --quiet           no progress, only the results
  -h, --help            this help

On a terminal a progress bar shows the epoch, cost, accuracy and time left; when
stdout is a pipe or file, plain lines are printed instead.

Examples:
  nabla train
  nabla train iris.csv --label species --layers 16 --validation-split 0.2
  nabla train pets/ --image-size 32x32 --epochs 30 --batch-size 32
  nabla train train-images-idx3-ubyte.gz --idx-labels train-labels-idx1-ubyte.gz \\
      --layers 128 --epochs 5 --batch-size 128
  nabla train moons --layers 8,8 --optimizer gd --learning-rate 0.5 --iterations 2000
  nabla train flower --early-stopping 10 --validation-split 0.25 --json | jq .cost

${EXIT_STATUS}
`,
  eval: `Usage: nabla eval --model <file> <data> [options]

Evaluates a model file from 'nabla train' on labelled data, read and scaled as in
training (the scaler and class names come from the model file). Prints the
accuracy, the confusion matrix (rows: true class, columns: predicted) and the log
loss; for two classes also precision, recall and F1 of the positive class (the
second class name) and the ROC AUC; for more, per-class precision, recall and F1.
For a regression model: mean squared error, RMSE, mean absolute error and R².

${DATA_TEXT.replace(/\n {2}cat {15}.*$/, '\n  cat               the course\'s 50 cat vs non-cat test pictures')}

Options:
  --model <file>        the model (model.safetensors from a run folder)
  --label <col>         CSV: the label column (default: the one the model was
                        trained on, by name, else by position)
  --delimiter <c>       CSV: the cell separator (default ',', tab for .tsv)
  --layout <l>          CSV: rows (default) or columns
  --idx-labels <file>   IDX: the labels file
  --json                one JSON object with every figure
  -h, --help            this help

Examples:
  nabla eval --model runs/<run>/model.safetensors iris-test.csv
  nabla eval --model runs/<run>/model.safetensors pets-test/ --json

${EXIT_STATUS}
`,
  predict: `Usage: nabla predict --model <file> <data.csv>...
       nabla predict --model <file> <image>...

Loads a model file from 'nabla train' and prints its predictions.

A CSV file gives one line per data row, as CSV: the row's line number, the
predicted class name (or value, for regression) and the probability of each
class. Columns are matched to the model's features by header name when the file
has a header, else by position; a label column, if present, is ignored. The
model's scaler is applied as in training.

Pictures (PNG or JPEG) are resized to the model's input size (64x64 RGB for the
cat networks) and scaled as in training; each gives one line, e.g.
'a.jpg: P(cat) = 0.93 → cat'.

Options:
  --model <file>        the model (model.safetensors from a run folder)
  --delimiter <c>       CSV: the cell separator (default ',', tab for .tsv)
  -h, --help            this help

Examples:
  nabla predict --model runs/<run>/model.safetensors new-flowers.csv
  nabla predict --model runs/<run>/model.safetensors my_cat.jpg other.png

Exit status: 0 done; 1 a file could not be read or does not fit the model (the
others are still predicted); 2 a usage mistake.
`,
  gradcheck: `Usage: nabla gradcheck [<data>] [options]

Builds the network for <data> (default ${FIT_DEFAULTS.data}) in float64, takes up to --samples
samples spread over the data set, and compares backprop's gradients with central
differences (J(θ + ε) − J(θ − ε)) / 2ε, parameter by parameter. Prints each
gradient's relative difference ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖)
(dW1, db1, …) with the course's verdict: < 1e-7 good, > 2e-7 a bug, in between
suspect; a difference within the central differences' rounding noise (gradients
too small to measure to 1e-7) counts as good, and says so. Then the overall
difference and verdict. J is evaluated twice per parameter: keep the network small
(a check estimated at over 10 s says so first; over 60 s it is refused).

${DATA_TEXT}

${DATA_OPTIONS_TEXT}

${networkText('gradcheck')}

Options:
  --samples <n>         at most this many samples (default ${FIT_DEFAULTS.gradcheckSamples})
  --epsilon <ε>         the finite-difference step, 1e-10 to 1e-5 (default ${FIT_DEFAULTS.gradcheckEpsilon})
  --json                one JSON object with every relative difference
  -h, --help            this help

Examples:
  nabla gradcheck
  nabla gradcheck moons --layers 8,8 --activation tanh
  nabla gradcheck iris.csv --label species --samples 16

Exit status: 0 the gradients agree (overall < 1e-7 or within the noise, no bug);
1 they do not, or an error; 2 a usage mistake.
`,
  explain: `Usage: nabla explain [<data>] [options]

Runs one training step of the network on a few samples of <data> (default ${FIT_DEFAULTS.data})
and prints everything it computes in the course's notation: forward propagation
Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l]) layer by layer, the cost J, then
backward propagation dZ[l], dW[l], db[l] from the output back, each with its
formula and shape, and its values when small enough (--max-values); finally the
gradient-descent update and the cost after it.

${DATA_TEXT}

${DATA_OPTIONS_TEXT}

${networkText('explain')}
  --dtype <type>        float64 or float32 (default float64)

Options:
  --samples <n>         how many samples (columns of X), spread over the data set
                        (default ${FIT_DEFAULTS.explainSamples})
  --learning-rate <a>   α of the update shown at the end (default ${FIT_DEFAULTS.explainLearningRate})
  --max-values <n>      print the values of tensors with at most n elements
                        (default ${FIT_DEFAULTS.maxValues})
  -h, --help            this help

Examples:
  nabla explain
  nabla explain moons --layers 3 --samples 2
  nabla explain spirals --layers 5 --activations relu,softmax

${EXIT_STATUS}
`,
  export: `Usage: nabla export --onnx <out.onnx> --model <file> [--opset <n>]

Writes a model file from 'nabla train' as ONNX, to run in onnxruntime (Python,
C++, the browser with onnxruntime-web) or any ONNX runtime. The graph takes X as
[batch, n_x] (one sample per row) and returns 'probabilities' [batch, n_y],
in float64 for a float64 model. Inputs must be scaled as in training: the
model's scaler and class names are copied into the ONNX metadata
(nabla.scaler, nabla.classes).

Options:
  --onnx <out.onnx>     the file to write
  --model <file>        the model (model.safetensors from a run folder)
  --opset <n>           the ai.onnx operator set, ${EXPORT_DEFAULTS.minOpset} to ${EXPORT_DEFAULTS.maxOpset} (default ${EXPORT_DEFAULTS.opset})
  -h, --help            this help

Example:
  nabla export --onnx iris.onnx --model runs/<run>/model.safetensors
  python -c "import onnxruntime as ort; print(ort.InferenceSession('iris.onnx').get_inputs()[0].shape)"

${EXIT_STATUS}
`,
  reproduce: `Usage: nabla reproduce <experiment>

Runs one of the course's experiments and prints each published figure beside nabla's,
the difference and a mark: costs must agree to 1e-9 (the flower net's costs past
iteration 7000 are platform-dependent: 1e-3), accuracies to 0.01 percentage points.
Exits with 1 if any figure is not reproduced.

Experiments:
  logistic        logistic regression on cat vs non-cat, 2000 iterations (week 2)
  learning-rates  the same at learning rates 0.01, 0.001, 0.0001, 1500 iterations (week 2)
  logistic-flower logistic regression on the flower data (week 3)
  shallow         [2, 4, 1] tanh/sigmoid on the flower data, 10000 iterations (week 3)
  hidden-sizes    the flower net with 1, 2, 3, 4, 5, 20, 50 hidden units, 5000 and 10000
                  iterations (week 3)
  two-layer       [12288, 7, 1] on cat vs non-cat, 2500 iterations (week 4)
  l-layer         [12288, 20, 7, 5, 1] on cat vs non-cat, 2500 iterations (week 4)
  all             all of the above

Options:
  -h, --help            this help

Example:
  nabla reproduce shallow

Exit status: 0 every figure reproduced; 1 one or more not reproduced, or an error;
2 a usage mistake.
`,
};
