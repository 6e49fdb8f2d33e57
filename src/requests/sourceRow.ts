/** One row as a format reader found it: its values under their column names, before columns are mapped or values checked. */
export interface SourceRow {
  /** 1-based line where the row starts. */
  line: number;
  /**
   * Column names, by position: for CSV the header line itself, shared by every row of the file. A
   * position with no name (or an empty one) holds no field. Two arrays rather than a pair per cell:
   * a million rows must not cost five arrays each.
   */
  columns: readonly string[];
  /** The value at each position, as read: a string from CSV, any JSON value from JSON. */
  values: readonly unknown[];
  /** Why the row cannot be taken as written (a syntax problem), without its content. Its values are then not checked. */
  problems: readonly string[];
  /** What the reader read otherwise than the file holds it, without the value (a phone an .xlsx stores as a number); passed on as the row's warnings. */
  warnings?: readonly string[];
  /** The reader could not go past this row: the rest of the file was not read. */
  stop?: boolean;
  /** When several rows start on one line (minified JSON), this row's rank among them from 2, to keep derived ids unique. */
  rankOnLine?: number;
}

/**
 * Turns a file's bytes into rows, handed over in batches (the rows each chunk completes, in file
 * order) so that a row costs no promise of its own. Throws FileFormatError when the file as a whole
 * cannot be read.
 */
export type RowReader = (chunks: AsyncIterable<Buffer>) => AsyncGenerator<SourceRow[]>;
