import { describe, expect, it } from 'vitest';
import { DEFAULT_LAMBDA_GRID, parseEvalArgs } from './eval-options';

describe('parseEvalArgs', () => {
  it('has defaults: 5 folds, seed 42, a λ grid, leaky columns dropped', () => {
    expect(parseEvalArgs(['data.csv'])).toEqual({
      file: 'data.csv',
      outcome: undefined,
      positive: undefined,
      drop: null,
      folds: 5,
      lambda: DEFAULT_LAMBDA_GRID,
      innerFolds: 3,
      seed: 42,
      delimiter: undefined,
      preset: 'auto',
      bins: 10,
      minConversions: undefined,
      top: 15,
    });
  });

  it('reads every option, with a space or =', () => {
    const o = parseEvalArgs([
      'f.csv',
      '--outcome',
      'converted',
      '--positive=1',
      '--drop',
      'a, b',
      '--folds',
      '10',
      '--lambda',
      '3',
      '--seed=7',
      '--delimiter',
      ';',
      '--preset',
      'none',
    ]);
    expect(o).toMatchObject({
      file: 'f.csv',
      outcome: 'converted',
      positive: '1',
      drop: ['a', 'b'],
      folds: 10,
      lambda: 3,
      seed: 7,
      delimiter: ';',
      preset: 'none',
    });
    expect(parseEvalArgs(['f.csv', '--lambda', '1,10'])).toMatchObject({ lambda: [1, 10] });
    expect(parseEvalArgs(['f.csv', '--drop', 'none'])).toMatchObject({ drop: [] });
    expect(parseEvalArgs(['--help'])).toBe('help');
  });

  it('explains bad arguments', () => {
    expect(() => parseEvalArgs([])).toThrow(/no CSV file/);
    expect(() => parseEvalArgs(['f.csv', '--folds', '1'])).toThrow(/--folds needs an integer ≥ 2/);
    expect(() => parseEvalArgs(['f.csv', '--lambda', '-1'])).toThrow(/--lambda/);
    expect(() => parseEvalArgs(['f.csv', '--wat', '1'])).toThrow(/unknown option --wat/);
    expect(() => parseEvalArgs(['f.csv', '--seed'])).toThrow(/needs a value/);
  });
});
