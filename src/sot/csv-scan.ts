/**
 * A quote-aware pass over CSV bytes before DuckDB reads them: DuckDB's reader, given a record
 * with too few or too many fields, sniffs another dialect or returns no rows at all, and the
 * user then reads "missing required column" about a column the header plainly has. This pass
 * finds the header, the delimiter, the number of records and the first record whose field count
 * differs from the header's, so the message can name that record.
 *
 * It works on bytes (every delimiter, quote and line break is ASCII), so a 100 MB file costs one
 * tight loop and no string decoding.
 */

export interface CsvShape {
  /** The header's field names, unquoted, in file order. */
  header: string[];
  delimiter: string;
  /** Records after the header, blank lines not counted. */
  records: number;
}

export class CsvShapeError extends Error {}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const CANDIDATES = [',', ';', '\t', '|'];

export function scanCsv(bytes: Uint8Array): CsvShape {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 byte order mark
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul >= 0) throw new CsvShapeError(`it holds binary data (a NUL byte at byte ${nul + 1}), not text`);
  const delimiter = detectDelimiter(bytes, start);
  const delim = delimiter.charCodeAt(0);
  let header: string[] | null = null;
  let records = 0;
  let fields: string[] = [];
  let fieldStart = start;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordEmpty = true;
  const decoder = new TextDecoder();
  const field = (end: number) => {
    if (header) return ''; // only the header's names are needed as text
    const raw = decoder.decode(bytes.subarray(fieldStart, end)).trim();
    return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
  };
  let count = 0;
  const endRecord = (end: number) => {
    if (recordEmpty && count === 0) return; // a blank (or all-space) line
    count++;
    if (!header) {
      fields.push(field(end));
      header = fields;
      fields = [];
    } else {
      records++;
      if (count !== header.length) {
        throw new CsvShapeError(
          `record ${records} (line ${recordLine}) has ${count} field${count === 1 ? '' : 's'} but the header has ${header.length}`,
        );
      }
    }
    count = 0;
  };
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inQuotes) {
      if (b === QUOTE) {
        if (bytes[i + 1] === QUOTE) i++;
        else inQuotes = false;
      } else if (b === LF || (b === CR && bytes[i + 1] !== LF)) line++; // a lone CR ends a line, as outside quotes
      continue;
    }
    if (b === QUOTE) {
      inQuotes = true;
      recordEmpty = false;
    } else if (b === delim) {
      if (!header) fields.push(field(i));
      count++;
      fieldStart = i + 1;
      recordEmpty = false;
    } else if (b === LF || b === CR) {
      endRecord(i);
      if (b === CR && bytes[i + 1] === LF) i++;
      line++;
      recordLine = line;
      fieldStart = i + 1;
      recordEmpty = true;
    } else if (b !== 0x20 && b !== 0x09) recordEmpty = false;
  }
  if (inQuotes) throw new CsvShapeError(`a quoted field opened on line ${recordLine} is never closed`);
  endRecord(bytes.length);
  if (!header) throw new CsvShapeError('it has no header line');
  return { header, delimiter, records };
}

/** The candidate that appears most often, outside quotes, on the first line; ',' by default. */
function detectDelimiter(bytes: Uint8Array, start: number): string {
  const counts = new Map<number, number>(CANDIDATES.map((c) => [c.charCodeAt(0), 0]));
  let inQuotes = false;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (b === LF || b === CR)) break;
    else if (!inQuotes && counts.has(b)) counts.set(b, counts.get(b)! + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [b, n] of counts) {
    if (n > bestCount) [best, bestCount] = [String.fromCharCode(b), n];
  }
  return best;
}
