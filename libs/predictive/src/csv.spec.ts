import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from './csv';
import { buildDataset, defaultSpec, inferColumnKind } from './dataset';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, delimiters and newlines inside quotes, CRLF', () => {
    const csv = parseCsv('a;b;c\r\n1;"x;""y""\nz";3\n\n4;;\n');
    expect(csv.delimiter).toBe(';');
    expect(csv.header).toEqual(['a', 'b', 'c']);
    expect(csv.records).toEqual([
      ['1', 'x;"y"\nz', '3'],
      ['4', '', ''],
    ]);
  });

  it('detects the delimiter from the header, ignoring quoted text', () => {
    expect(detectDelimiter('"a;b",c,d\n1,2,3')).toBe(',');
    expect(detectDelimiter('"age";"job";"y"\n')).toBe(';');
    expect(parseCsv('a,b\n1,2').records).toEqual([['1', '2']]);
  });

  it('complains about ragged records and open quotes', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(/record 1 has 3 fields, the header has 2/);
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow(/unterminated/);
  });
});

describe('buildDataset', () => {
  const csv = parseCsv('age;job;duration;y\n30;admin.;12;no\n41;;200;yes\n;technician;0;no\n');

  it('finds y, maps yes to 1, drops columns and infers numeric vs categorical', () => {
    const data = buildDataset(csv.header, csv.records, { drop: ['duration'] });
    expect(data.outcome).toBe('y');
    expect(data.positive).toBe('yes');
    expect(data.labels).toEqual([0, 1, 0]);
    expect(data.dropped).toEqual(['duration']);
    expect(data.columns).toEqual([
      { name: 'age', kind: 'numeric' },
      { name: 'job', kind: 'categorical' },
    ]);
    expect(data.rows).toEqual([
      { age: 30, job: 'admin.' },
      { age: 41, job: null },
      { age: null, job: 'technician' },
    ]);
    expect(defaultSpec(data.columns, 4).columns).toEqual([
      { kind: 'numeric', name: 'age', bins: 4 },
      { kind: 'categorical', name: 'job' },
    ]);
  });

  it('takes another outcome column and positive value, and says when it cannot tell', () => {
    const data = buildDataset(csv.header, csv.records, { outcome: 'job', positive: 'technician' });
    expect(data.labels).toEqual([0, 0, 1]);
    expect(() => buildDataset(csv.header, csv.records, { outcome: 'job' })).toThrow(/--positive/);
    expect(() => buildDataset(csv.header, csv.records, { outcome: 'nope' })).toThrow(/not found/);
    expect(() => buildDataset(csv.header, csv.records, { drop: ['nope'] })).toThrow(/cannot drop/);
  });

  it('calls a column numeric only when every non-blank value is a number', () => {
    expect(inferColumnKind(['1', ' 2.5', '', '-3e2'])).toBe('numeric');
    expect(inferColumnKind(['1', 'n/a'])).toBe('categorical');
    expect(inferColumnKind(['', ''])).toBe('categorical');
  });
});
