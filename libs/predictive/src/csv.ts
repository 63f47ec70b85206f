/** A small RFC 4180 CSV parser: quoted fields, doubled quotes, newlines inside quotes, CRLF. */

export interface ParsedCsv {
  delimiter: string;
  header: string[];
  records: string[][];
}

/** `;`, `,` or tab: whichever occurs most in the first line outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && counts.has(c)) counts.set(c, (counts.get(c) as number) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) as number)) best = d;
  return best;
}

/**
 * Parses CSV text; the first record is the header. Blank lines are skipped; every record must
 * have as many fields as the header.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): ParsedCsv {
  if (delimiter.length !== 1 || delimiter === '"') {
    throw new RangeError(`bad delimiter ${JSON.stringify(delimiter)}`);
  }
  const DELIM = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const records: string[][] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let line = 1;
  let record: string[] = [];
  while (i < n) {
    // One field starts at i.
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new SyntaxError(`CSV: unterminated quoted field at line ${startLine}`);
        value += text.slice(from, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          from = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) === LF) line++;
      // Anything between the closing quote and the delimiter is kept as-is.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === DELIM || c === LF || c === CR) break;
        j++;
      }
      field = value + text.slice(i, j);
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === DELIM || c === LF || c === CR) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    const c = i < n ? text.charCodeAt(i) : LF;
    i++;
    if (c === DELIM) {
      if (i >= n) record.push('');
      else continue;
    }
    if (c === CR && i < n && text.charCodeAt(i) === LF) i++;
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    line++;
  }
  const [header, ...rest] = records;
  if (!header) throw new SyntaxError('CSV: no header line');
  rest.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new SyntaxError(
        `CSV: record ${k + 1} has ${r.length} fields, the header has ${header.length}`,
      );
    }
  });
  return { delimiter, header, records: rest };
}
