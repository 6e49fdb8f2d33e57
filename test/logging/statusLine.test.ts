import { describe, expect, test } from '@jest/globals';
import { StatusLine } from '../../src/logging/statusLine.js';

function terminal(columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { columns, write: (text: string) => writes.push(text) } };
}

describe('StatusLine', () => {
  test('a line written above the status clears it, is written, and the status is drawn again under it, in one write', () => {
    const { writes, stream } = terminal(80);
    const status = new StatusLine(stream);

    status.show('3/10 requests');
    status.writeAbove('12:00:00 WARN: row rejected\n');
    status.show('4/10 requests');

    expect(writes).toEqual(['3/10 requests', '\r\x1b[K12:00:00 WARN: row rejected\n3/10 requests', '\r\x1b[K4/10 requests']);
  });

  test('with no status shown, text is written as it is, a line end added if missing', () => {
    const { writes, stream } = terminal(80);
    const status = new StatusLine(stream);

    status.writeAbove('first\n');
    status.writeAbove('second');

    expect(writes).toEqual(['first\n', 'second\n']);
  });

  test('end draws the last state and ends its line: text written afterwards goes below it', () => {
    const { writes, stream } = terminal(80);
    const status = new StatusLine(stream);

    status.show('9/10 requests');
    status.end('10/10 requests');
    status.writeAbove('run finished\n');

    expect(writes).toEqual(['9/10 requests', '\r\x1b[K10/10 requests\n', 'run finished\n']);
  });

  test('the width is read from the stream at each call, 80 when the stream does not say', () => {
    const stream = { columns: 100 as number | undefined, write: () => true };
    const status = new StatusLine(stream);

    const widths = [status.columns];
    stream.columns = 60;
    widths.push(status.columns);
    stream.columns = undefined;
    widths.push(status.columns);

    expect(widths).toEqual([100, 60, 80]);
  });
});
