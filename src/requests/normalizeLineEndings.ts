const CR = 0x0d;
const LF = 0x0a;

export interface LineEndingNormalizer {
  push(chunk: Buffer): Buffer;
  flush(): Buffer;
}

/**
 * Turns CRLF into LF across chunk boundaries. csv-parse counts a CRLF inside a quoted field as two
 * lines (checked on 7.0.3), which would shift the line of every later row; with LF only its count is right.
 */
export function createLineEndingNormalizer(): LineEndingNormalizer {
  let heldCarriageReturn = false;
  return {
    push(chunk) {
      const input = heldCarriageReturn ? Buffer.concat([Buffer.of(CR), chunk]) : chunk;
      heldCarriageReturn = input.length > 0 && input[input.length - 1] === CR;
      const end = heldCarriageReturn ? input.length - 1 : input.length;
      if (input.indexOf(CR) === -1 || input.indexOf(CR) >= end) return input.subarray(0, end);
      const output = Buffer.allocUnsafe(end);
      let length = 0;
      for (let index = 0; index < end; index++) {
        const byte = input[index]!;
        if (byte === CR && input[index + 1] === LF) continue;
        output[length++] = byte;
      }
      return output.subarray(0, length);
    },
    flush() {
      const rest = heldCarriageReturn ? Buffer.of(CR) : Buffer.alloc(0);
      heldCarriageReturn = false;
      return rest;
    },
  };
}
