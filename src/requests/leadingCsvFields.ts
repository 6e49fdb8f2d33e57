/**
 * The first `count` fields of a CSV record's text, as far as they are complete. Used on the start of a
 * record csv-parse could not read, to recover the fields before the error (the request_id, usually).
 */
export function leadingCsvFields(text: string, delimiter: string, count: number): string[] {
  const fields: string[] = [];
  let index = 0;
  while (fields.length < count) {
    if (text[index] === '"') {
      let value = '';
      index++;
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote === -1) return fields;
        value += text.slice(index, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
      if (text[index] !== delimiter) return fields;
      fields.push(value);
      index++;
    } else {
      const end = text.indexOf(delimiter, index);
      if (end === -1) return fields;
      fields.push(text.slice(index, end));
      index = end + 1;
    }
  }
  return fields;
}
