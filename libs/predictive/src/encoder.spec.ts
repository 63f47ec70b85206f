import { describe, expect, it } from 'vitest';
import { encode, encodeDense } from './encode';
import { fitEncoder, type NumericGroup } from './encoder';
import { type FeatureRow, type FeatureSpec } from './feature-spec';

const rows: FeatureRow[] = [
  ...Array.from({ length: 5 }, (_, i) => ({ job: 'admin.', age: 20 + i, contact: 'cellular' })),
  ...Array.from({ length: 5 }, (_, i) => ({
    job: 'technician',
    age: 40 + i,
    contact: 'telephone',
  })),
  { job: 'student', age: null, contact: 'cellular' },
];

describe('fitEncoder and encode', () => {
  it('one-hot encodes frequent levels and buckets rare and unseen ones as (other)', () => {
    const enc = fitEncoder(rows, { columns: [{ kind: 'categorical', name: 'job', minCount: 2 }] });
    expect(enc.featureNames).toEqual(['job=admin.', 'job=technician', 'job=(other)']);
    expect(encodeDense(enc, { job: 'admin.' })).toEqual([1, 0, 0]);
    expect(encodeDense(enc, { job: 'technician' })).toEqual([0, 1, 0]);
    expect(encodeDense(enc, { job: 'student' })).toEqual([0, 0, 1]);
    expect(encodeDense(enc, { job: 'astronaut' })).toEqual([0, 0, 1]);
    expect(encodeDense(enc, {})).toEqual([0, 0, 1]);
  });

  it('treats blank and null as the level (missing)', () => {
    const enc = fitEncoder([{ c: '' }, { c: null }, { c: undefined }, { c: 'x' }], {
      columns: [{ kind: 'categorical', name: 'c', minCount: 1 }],
    });
    expect(enc.featureNames).toEqual(['c=(missing)', 'c=x', 'c=(other)']);
  });

  it('bins numbers by training quantiles, with a missing indicator and an optional z-score', () => {
    const spec: FeatureSpec = {
      columns: [{ kind: 'numeric', name: 'age', bins: 2, minBinCount: 1, standardise: true }],
    };
    const enc = fitEncoder(rows, spec);
    // Ten ages 20–24 and 40–44: the median cut is the 6th value, 40.
    expect(enc.featureNames).toEqual(['age<40', 'age≥40', 'age=(missing)', 'age (standardised)']);
    const x = encode(enc, { age: 41 });
    expect(x.indices).toEqual([1, 3]);
    const group = enc.groups[0]!;
    if (group.kind !== 'numeric') throw new Error('expected numeric');
    expect(group.standardised!.mean).toBeCloseTo(32, 12);
    expect(x.values[1]).toBeCloseTo((41 - 32) / group.standardised!.sd, 12);
    expect(encode(enc, { age: 'n/a' })).toEqual({ indices: [2], values: [1] });
    expect(encode(enc, { age: '39.5' }).indices).toEqual([0, 3]);
  });

  it('crosses two columns into interaction features', () => {
    const enc = fitEncoder(rows, {
      columns: [
        { kind: 'categorical', name: 'contact', minCount: 1 },
        { kind: 'numeric', name: 'age', bins: 2, minBinCount: 1 },
      ],
      interactions: [{ columns: ['contact', 'age'], minCount: 2 }],
    });
    const names = enc.featureNames.slice(enc.groups[2]!.start);
    expect(names).toEqual([
      'contact=cellular × age<40',
      'contact=telephone × age≥40',
      'contact × age=(other)',
    ]);
    const x = encode(enc, { contact: 'telephone', age: 50 });
    expect(x.indices.map((j) => enc.featureNames[j])).toEqual([
      'contact=telephone',
      'age≥40',
      'contact=telephone × age≥40',
    ]);
    expect(encode(enc, { contact: 'telephone', age: 10 }).indices.at(-1)).toBe(enc.width - 1);
  });

  it('is plain JSON: a round-tripped encoder encodes the same', () => {
    const spec: FeatureSpec = {
      columns: [
        { kind: 'categorical', name: 'job', minCount: 2 },
        { kind: 'numeric', name: 'age', bins: 3, minBinCount: 1, standardise: true },
        { kind: 'categorical', name: 'contact', minCount: 1 },
      ],
      interactions: [{ columns: ['job', 'contact'], minCount: 1 }],
    };
    const enc = fitEncoder(rows, spec);
    const copy = JSON.parse(JSON.stringify(enc)) as typeof enc;
    for (const row of rows) expect(encode(copy, row)).toEqual(encode(enc, row));
  });

  it('refuses a broken spec', () => {
    expect(() =>
      fitEncoder(rows, {
        columns: [
          { kind: 'categorical', name: 'job' },
          { kind: 'categorical', name: 'job' },
        ],
      }),
    ).toThrow(/twice/);
    expect(() =>
      fitEncoder(rows, {
        columns: [{ kind: 'categorical', name: 'job' }],
        interactions: [{ columns: ['job', 'nope'] }],
      }),
    ).toThrow(/both columns/);
    expect(() =>
      fitEncoder(rows, { columns: [{ kind: 'numeric', name: 'age', bins: 0 }] }),
    ).toThrow(/standardise/);
  });
});

describe('fitEncoder on a constant numeric column', () => {
  it('standardises around the value with sd 1, so a new value stays on a sane scale', () => {
    // 0.1 summed 30 times is not exactly 3: the mean is a hair off and the sd ~1e-17.
    const rows = Array.from({ length: 30 }, () => ({ x: 0.1 }));
    const encoder = fitEncoder(rows, {
      columns: [{ kind: 'numeric', name: 'x', standardise: true }],
    });
    const group = encoder.groups[0] as NumericGroup;
    expect(group.standardised).toEqual({ mean: 0.1, sd: 1 });
  });
});
