import { describe, expect, test } from '@jest/globals';
import { detectCsvDelimiter } from '../../src/requests/detectCsvDelimiter.js';
import { detectFileFormat } from '../../src/requests/detectFileFormat.js';

describe('detectCsvDelimiter', () => {
  test('counts delimiters outside quotes only', () => {
    expect(detectCsvDelimiter(Buffer.from('"name, first, last";"e-mail, work";phone\n'))).toBe(';');
  });

  test('reads the header line only, after a BOM and blank lines', () => {
    expect(detectCsvDelimiter(Buffer.from('\uFEFF\r\n\r\nemail\tphone\tsearch\r\na,b,c,d,e;f;g\r\n'))).toBe('\t');
  });

  test('a tie, or no delimiter at all, gives the comma', () => {
    expect(detectCsvDelimiter(Buffer.from('email;phone,search\n'))).toBe(',');
    expect(detectCsvDelimiter(Buffer.from('email\n'))).toBe(',');
  });
});

describe('detectFileFormat', () => {
  test('by extension, whatever its case', () => {
    const formats = ['a.csv', 'a.TSV', 'a.txt', 'a.json', 'a.ndjson', 'a.JSONL'].map((file) => detectFileFormat(file, Buffer.from('[')));

    expect(formats).toEqual(['csv', 'csv', 'csv', 'json', 'ndjson', 'ndjson']);
  });

  test('without a known extension, by the first non-blank byte', () => {
    expect(detectFileFormat('requests', Buffer.from(' \n [{}]'))).toBe('json');
    expect(detectFileFormat('requests.export', Buffer.from('\uFEFF{"email": "x"}'))).toBe('ndjson');
    expect(detectFileFormat('requests.dat', Buffer.from('email\n'))).toBe('csv');
  });
});
