/** One row as a format reader found it: its cells under their column names, before columns are mapped or values checked. */
export interface SourceRow {
  /** 1-based line where the row starts. */
  line: number;
  /** Column name and value as read: a string from CSV, any JSON value from JSON. */
  cells: [name: string, value: unknown][];
  /** Why the row cannot be taken as written (a syntax problem), without its content. Its values are then not checked. */
  problems: string[];
  /** The reader could not go past this row: the rest of the file was not read. */
  stop?: boolean;
  /** When several rows start on one line (minified JSON), this row's rank among them from 2, to keep derived ids unique. */
  rankOnLine?: number;
}

/** Turns a file's bytes into rows. Throws FileFormatError when the file as a whole cannot be read. */
export type RowReader = (chunks: AsyncIterable<Buffer>) => AsyncGenerator<SourceRow>;
