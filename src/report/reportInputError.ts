/** A file given to `report` is not what it should be; the message names the file and what is wrong, never a cell. */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}
