import { JsonArraySplitter, MAX_JSON_ELEMENT_SIZE, type JsonArrayPiece } from './jsonArraySplitter.js';
import { jsonElementToRow } from './jsonElementToRow.js';
import type { SourceRow } from './sourceRow.js';

/** Reads the objects of a JSON array as rows, streamed; each row's line is where its element starts. */
export async function* readJsonRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRow[]> {
  // TextDecoder drops a UTF-8 BOM and keeps characters split across chunks whole.
  const decoder = new TextDecoder('utf-8');
  const splitter = new JsonArraySplitter();
  let previousLine = 0;
  let rank = 1;
  const toRow = (piece: JsonArrayPiece): SourceRow => {
    rank = piece.line === previousLine ? rank + 1 : 1;
    previousLine = piece.line;
    const row = pieceToRow(piece);
    return rank > 1 ? { ...row, rankOnLine: rank } : row;
  };
  for await (const chunk of chunks) {
    yield splitter.push(decoder.decode(chunk, { stream: true })).map(toRow);
    if (splitter.stopped) return;
  }
  yield [...splitter.push(decoder.decode()), ...splitter.end()].map(toRow);
}

function pieceToRow(piece: JsonArrayPiece): SourceRow {
  switch (piece.kind) {
    case 'element':
      return jsonElementToRow(piece.text, piece.line, 'element');
    case 'oversized':
      return { line: piece.line, columns: [], values: [], problems: [`the element is larger than ${MAX_JSON_ELEMENT_SIZE / 1024} KiB`] };
    case 'broken':
      return {
        line: piece.line,
        columns: [],
        values: [],
        problems: [`the file is not valid JSON here: ${piece.reason}; the rest of the file was not read`],
        stop: true,
      };
  }
}
