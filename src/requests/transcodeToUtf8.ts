import type { TextEncoding } from './textEncoding.js';

/**
 * The file's text as UTF-8 bytes, chunk by chunk, for the format readers: UTF-8 passes through
 * untouched; any other encoding is decoded by TextDecoder, streaming, so that a character split
 * between two chunks comes out whole. A UTF-16 byte order mark is dropped.
 */
export async function* transcodeToUtf8(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf-8') {
    yield* chunks;
    return;
  }
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest !== '') yield Buffer.from(rest, 'utf8');
}
