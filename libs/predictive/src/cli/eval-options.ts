/** Command-line options of `eval` (pure parsing, no I/O). */

export interface EvalOptions {
  file: string;
  outcome?: string;
  positive?: string;
  /** Columns to leave out; null = the default (known leaky columns such as `duration`). */
  drop: string[] | null;
  folds: number;
  /** A fixed λ, or a grid chosen by inner cross-validation. */
  lambda: number | number[];
  innerFolds: number;
  seed: number;
  delimiter?: string;
  /** `auto`: the bank-marketing recipe when the columns match, else one-hot + `bins` bins. */
  preset: 'auto' | 'bank-marketing' | 'none';
  bins: number;
  minConversions?: number;
  top: number;
}

export const DEFAULT_LAMBDA_GRID = [1, 3, 10, 30, 100];

export const EVAL_USAGE = `Usage: npm run eval -- <file.csv> [options]

Trains and cross-validates a regularised logistic regression on a CSV with an outcome column.

  --outcome <col>        outcome column (default: y, else the last column)
  --positive <value>     outcome value meaning converted (default: yes / 1 / true)
  --drop <a,b|none>      columns to leave out (default: duration, which leaks the outcome)
  --folds <k>            cross-validation folds (default 5)
  --lambda <x|a,b,..>    L2 penalty, or a grid chosen by inner CV on each training part
                         (default ${DEFAULT_LAMBDA_GRID.join(',')})
  --inner-folds <k>      folds of that inner CV (default 3)
  --seed <n>             fold shuffle seed (default 42)
  --delimiter <c>        field separator (default: detected, ; or ,)
  --preset <p>           auto | bank-marketing | none (default auto)
  --bins <k>             quantile bins per numeric column without a preset (default 10)
  --min-conversions <n>  cold-start floor (default 200)
  --top <n>              features listed (default 15)`;

function num(flag: string, value: string | undefined, integer: boolean, min: number): number {
  const n = Number(value);
  if (
    value === undefined ||
    value.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    (integer && !Number.isInteger(n))
  ) {
    throw new RangeError(
      `${flag} needs ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${value ?? 'nothing'}`,
    );
  }
  return n;
}

/** Parses argv (without `node` and the script). Throws RangeError with a message on bad input. */
export function parseEvalArgs(argv: readonly string[]): EvalOptions | 'help' {
  const opts: Partial<EvalOptions> & { drop: string[] | null } = { drop: null };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new RangeError(`${flag} needs a value`);
    switch (flag) {
      case '--outcome':
        opts.outcome = value;
        break;
      case '--positive':
        opts.positive = value;
        break;
      case '--drop':
        opts.drop =
          value === 'none' || value === ''
            ? []
            : value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean);
        break;
      case '--folds':
        opts.folds = num(flag, value, true, 2);
        break;
      case '--inner-folds':
        opts.innerFolds = num(flag, value, true, 2);
        break;
      case '--lambda': {
        const parts = value.split(',').map((s) => num(flag, s, false, 0));
        opts.lambda = parts.length === 1 ? (parts[0] as number) : parts;
        break;
      }
      case '--seed':
        opts.seed = num(flag, value, true, 0);
        break;
      case '--delimiter':
        opts.delimiter = value === '\\t' || value === 'tab' ? '\t' : value;
        if (opts.delimiter.length !== 1) throw new RangeError('--delimiter needs one character');
        break;
      case '--preset':
        if (value !== 'auto' && value !== 'bank-marketing' && value !== 'none') {
          throw new RangeError('--preset is auto, bank-marketing or none');
        }
        opts.preset = value;
        break;
      case '--bins':
        opts.bins = num(flag, value, true, 1);
        break;
      case '--min-conversions':
        opts.minConversions = num(flag, value, true, 1);
        break;
      case '--top':
        opts.top = num(flag, value, true, 0);
        break;
      default:
        throw new RangeError(`unknown option ${flag}`);
    }
  }
  if (rest.length !== 1)
    throw new RangeError(
      rest.length ? `one CSV file expected, got ${rest.join(' ')}` : 'no CSV file given',
    );
  return {
    file: rest[0] as string,
    outcome: opts.outcome,
    positive: opts.positive,
    drop: opts.drop,
    folds: opts.folds ?? 5,
    lambda: opts.lambda ?? DEFAULT_LAMBDA_GRID,
    innerFolds: opts.innerFolds ?? 3,
    seed: opts.seed ?? 42,
    delimiter: opts.delimiter,
    preset: opts.preset ?? 'auto',
    bins: opts.bins ?? 10,
    minConversions: opts.minConversions,
    top: opts.top ?? 15,
  };
}
