import { describe, expect, test } from '@jest/globals';
import { commandLineOf, commandOf, quoteForShell, shellCommandOf } from '../../../src/commands/summary/commandLine.js';

describe('commandLineOf', () => {
  test('gives the arguments back after the program name, as typed', () => {
    expect(commandLineOf(['run', 'requests.csv', '--ledger', 'out/erasure.ledger.jsonl', '--approve', 'R-1,R-2'])).toBe(
      'iadvize-erasure run requests.csv --ledger out/erasure.ledger.jsonl --approve R-1,R-2',
    );
  });

  test('quotes a word the shell would split or expand', () => {
    expect(commandLineOf(['run', 'my requests.csv', "o'brien.csv", '$HOME.csv'])).toBe(`iadvize-erasure run 'my requests.csv' 'o'\\''brien.csv' '$HOME.csv'`);
  });

  test("leaves out a webhook URL, which often holds its token, and an endpoint's user and password, in both flag forms", () => {
    const line = commandLineOf([
      'watch',
      'drop',
      '--webhook',
      'https://hooks.example.com/services/T0/B0/s3cr3t',
      '--webhook=https://hooks.example.com/x?token=s3cr3t',
      '--endpoint',
      'https://ops:s3cr3t@api.example.com/graphql',
      '--endpoint=https://ops:s3cr3t@api.example.com/graphql',
    ]);
    expect(line).not.toContain('s3cr3t');
    expect(line).not.toContain('ops');
    expect(line).toBe(
      'iadvize-erasure watch drop --webhook <webhook-url> --webhook=<webhook-url> --endpoint https://api.example.com/graphql --endpoint=https://api.example.com/graphql',
    );
  });

  test('keeps an endpoint without credentials, and a value that is not a URL, as they are', () => {
    expect(commandLineOf(['run', 'a.csv', '--endpoint', 'http://127.0.0.1:4000/graphql'])).toBe(
      'iadvize-erasure run a.csv --endpoint http://127.0.0.1:4000/graphql',
    );
    expect(commandLineOf(['run', 'a.csv', '--endpoint', 'not a url'])).toBe(`iadvize-erasure run a.csv --endpoint 'not a url'`);
  });
});

describe('commandOf and shellCommandOf', () => {
  test('quote each word as needed', () => {
    expect(commandOf('review', 'done/x y.ledger.jsonl')).toBe(`iadvize-erasure review 'done/x y.ledger.jsonl'`);
    expect(shellCommandOf('mv', 'failed/1-a b.csv', 'inbox/a b.csv')).toBe(`mv 'failed/1-a b.csv' 'inbox/a b.csv'`);
    expect(quoteForShell('')).toBe(`''`);
  });
});
