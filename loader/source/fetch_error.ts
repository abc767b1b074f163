/** A plugin could not be fetched: the message says why and what to do. */
export class FetchError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "FetchError";
  }
}
