/**
 * Errors of the schema layer. Each carries a stable `code` so callers (config validation, the pipeline's
 * outcome counting, the CLI) can branch on it without parsing messages.
 */

/** A schema could not be found, read, parsed or accepted. Raised at start-up, never per event. */
export class SchemaError extends Error {
  readonly code = 'FOOTFALL_ERR_SCHEMA';
  override readonly name = 'SchemaError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One reason a record does not fit its schema. */
export interface FieldProblem {
  /** Dotted path of the offending value, e.g. `viewportPixelWidth` or `eventParameterValues.colour`. */
  readonly path: string;
  readonly reason: string;
}

/**
 * A record handed to a codec does not fit the schema. The message names every offending field but never
 * quotes string contents: records carry personal data (ids, IP addresses, URLs) and this ends up in logs.
 */
export class RecordMismatchError extends Error {
  readonly code = 'FOOTFALL_ERR_RECORD_MISMATCH';
  override readonly name = 'RecordMismatchError';
  readonly schemaName: string;
  readonly problems: readonly FieldProblem[];

  constructor(schemaName: string, problems: readonly FieldProblem[], options?: { cause?: unknown }) {
    super(`record does not fit schema ${schemaName}: ${summarise(problems)}`, options);
    this.schemaName = schemaName;
    this.problems = problems;
  }
}

/** Bytes that should carry a framed Avro record do not (wrong magic byte, too short, bad schema id). */
export class FramingError extends Error {
  readonly code = 'FOOTFALL_ERR_FRAMING';
  override readonly name = 'FramingError';
}

/** Bytes could not be decoded as a record of the codec's schema (truncated, trailing or foreign data). */
export class DecodeError extends Error {
  readonly code = 'FOOTFALL_ERR_DECODE';
  override readonly name = 'DecodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// A record with every field wrong would otherwise produce a message of several kilobytes in one log line.
const MAX_LISTED_PROBLEMS = 10;

function summarise(problems: readonly FieldProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${p.path || '(record)'}: ${p.reason}`);
  const more = problems.length - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
}
