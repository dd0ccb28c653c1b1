import { ArgumentError } from '../errors.js';
import { Adam, type AdamOptions } from './adam.js';
import { GradientDescent, type GDOptions } from './gd.js';
import { Momentum, type MomentumOptions } from './momentum.js';
import type { Optimizer, OptimizerName } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';

/** Every name `createOptimizer` accepts. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze(['gd', 'momentum', 'rmsprop', 'adam']);

/** The options each optimizer takes, by name. */
export interface OptimizerOptionsByName {
  gd: GDOptions;
  momentum: MomentumOptions;
  rmsprop: RMSpropOptions;
  adam: AdamOptions;
}

/**
 * An optimizer by name (for configuration files and the CLI): 'gd' → GradientDescent,
 * 'momentum' → Momentum, 'rmsprop' → RMSprop, 'adam' → Adam, each with its own options.
 * An unknown name is an ArgumentError listing the choices.
 *
 * @example const opt = createOptimizer('adam', { learningRate: 0.0007 });
 */
export function createOptimizer<N extends OptimizerName>(name: N, options: OptimizerOptionsByName[N]): Optimizer {
  // The options' type follows the name only at compile time; each constructor checks its
  // own options at run time.
  const given: OptimizerName | string = name;
  switch (given) {
    case 'gd':
      return new GradientDescent(options as GDOptions);
    case 'momentum':
      return new Momentum(options as MomentumOptions);
    case 'rmsprop':
      return new RMSprop(options as RMSpropOptions);
    case 'adam':
      return new Adam(options as AdamOptions);
    default:
      throw new ArgumentError('name', `unknown optimizer ${JSON.stringify(given)}; expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
