/** Something of a request file read otherwise than written, which does not stop it: it names where, never a value. */
export interface RequestFileWarning {
  file: string;
  /** The line it is about: a row's, or that of the first byte that is not UTF-8. */
  line: number;
  /** The request of the row, for a row's warning. */
  requestId?: string;
  /** What was read otherwise, and how. */
  message: string;
}
