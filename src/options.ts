import { ArgumentError } from './errors.js';

/**
 * Option objects. TypeScript catches a misspelt option at compile time, but JavaScript callers
 * (and `as any` casts) do not: without a check, `{ epoch: 3 }` or `{ learningrate: 0.5 }`
 * would train with the defaults and say nothing. Every public function that takes options
 * checks their keys here, at the front, against a list the compiler holds to the option type.
 */

/**
 * The option names of T, as a list the compiler checks against T in both directions: a name
 * that is not an option, or an option missing from the list, fails to compile. So the runtime
 * check cannot drift from the type.
 *
 * @example const FIT_KEYS = optionKeys<FitOptions>()(['epochs', 'batchSize', …]);
 */
export function optionKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): readonly string[] => keys;
}

/**
 * Checks that `options` is a plain object (or undefined, when `optional`) with no keys outside
 * `allowed`, so a typo such as `lr` or `beta_1` is an error rather than a silently ignored
 * setting. The error names the key and, where one is close, the option it probably meant.
 */
export function checkOptions(options: unknown, where: string, allowed: readonly string[], optional = false): Record<string, unknown> {
  if (options === undefined && optional) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const got = options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options;
    throw new ArgumentError(where, `options must be an object { ${allowed.join(', ')} }, got ${got}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      throw new ArgumentError(
        key,
        `unknown option for ${where}${near ? ` (did you mean '${near}'?)` : ''}; expected one of ${allowed.join(', ')}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

// The allowed name a typo most likely meant: the same letters in another case, or one edit
// away (Levenshtein; two for names of five letters or more). Null when nothing is that close.
function closest(key: string, allowed: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null, bestDistance = Infinity;
  for (const name of allowed) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (d < bestDistance) { best = name; bestDistance = d; }
  }
  return best !== null && (bestDistance === 0 || (key.length >= 3 && bestDistance <= (key.length >= 5 ? 2 : 1))) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
