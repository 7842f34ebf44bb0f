// mincode: the compact JSON equivalent divolte.js uses for custom event parameters (`u`).
//
//   value  := 's' str | 't' | 'f' | 'n' | 'd' str | 'j' str | 'o' | '(' member* ')' | 'a' value* '.'
//   member := type-char str payload      (the member's name sits between its type and its payload)
//   str    := ( any char but '!' and '~' | '~' char )* '!'
//
// The encoder reproduces divolte.js byte for byte for every JSON value except integers beyond
// 2^53 (see encodeNumber); the decoder accepts what Divolte's MincodeParser accepted, minus
// trailing garbage and numbers a JavaScript value cannot hold (see decodeMincode).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type MincodeErrorReason =
  | 'unsupported_type'
  | 'cycle'
  | 'not_a_string'
  | 'too_long'
  | 'too_deep'
  | 'too_many_items'
  | 'unexpected_end'
  | 'unterminated_string'
  | 'unknown_record'
  | 'bad_number'
  | 'trailing_data';

/**
 * Thrown for every value mincode cannot encode and every text it cannot decode; `reason` is stable
 * and fit for metric labels. (Errors thrown by a value's own getters or toJSON pass through.)
 */
export class MincodeError extends Error {
  readonly code = 'FOOTFALL_ERR_MINCODE';
  readonly reason: MincodeErrorReason;
  /** Offset into the decoded text where the problem was found, when decoding. */
  readonly position: number | undefined;

  constructor(reason: MincodeErrorReason, message: string, position?: number) {
    super(message);
    this.name = 'MincodeError';
    this.reason = reason;
    this.position = position;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding
//
// JSON.stringify does the JavaScript-specific work (toJSON and dates, boxed primitives, holes and
// undefined, NaN and the infinities) exactly as callers expect of "JSON parameters"; a replacer
// refuses what mincode cannot carry. JSON.parse then reads the text back with a reviver that turns
// every value into its record, innermost first, so a container receives its members as records
// already. Two passes, but tiny: the browser tracker bundles this, and its size is budgeted.

const ESCAPE = /[~!]/g;

/** A mincode `str`: the text with `~` and `!` escaped, and its terminating `!`. */
const escapeString = (s: string): string => s.replace(ESCAPE, '~$&') + '!';

/**
 * One JSON value as a record, its members or items already records. A member's escaped name goes
 * between its record's type character and the rest.
 */
type Members = Record<string, string>;

function toRecord(_key: string, v: unknown): string {
  // Casts in place rather than a typed alias per shape, which the tracker's bundle would keep.
  // divolte.js picks the shortest of base 36, toExponential() and String(), preferring 'd' on a
  // tie because the server parses it faster, and String() over toExponential() on a tie. Footfall
  // keeps that choice so its tracker emits the same bytes, but only for safe integers: beyond 2^53
  // toString(36) pads with zeros and no longer round-trips.
  let json: string;
  return v === null
    ? 'n'
    : Array.isArray(v)
      ? 'a' + v.join('') + '.'
      : typeof v == 'object'
        ? '(' +
          Object.keys(v)
            .map((key) => (v as Members)[key]![0] + escapeString(key) + (v as Members)[key]!.slice(1))
            .join('') +
          ')'
        : typeof v == 'string'
          ? 's' + escapeString(v)
          : typeof v == 'boolean'
            ? v
              ? 't'
              : 'f'
            : ((json = String(v)),
              (v as number).toExponential().length < json.length && (json = (v as number).toExponential()),
              (Number.isSafeInteger(v) && (v as number).toString(36).length <= json.length
                ? 'd' + (v as number).toString(36)
                : 'j' + json) + '!');
}

/**
 * The JSON.stringify replacer of {@link mincodeOf}: functions and symbols would silently vanish from
 * JSON, so it throws a TypeError for them rather than let half an event go out. Bigints, boxed or
 * not, need no check: JSON.stringify throws a TypeError for them itself, as it does for cycles.
 */
const refuseLossy = (_key: string, member: unknown): unknown => {
  if (/^(f|sy)/.test(typeof member)) throw new TypeError('mincode: cannot encode ' + typeof member);
  return member;
};

/**
 * The encoder the browser tracker bundles: {@link encodeMincode} without the error classes. Throws
 * a plain TypeError for functions, symbols, bigints and cycles, and lets errors thrown by a value's
 * own getters or toJSON pass through. `replacer` must return each member unchanged or throw.
 */
export function mincodeOf(
  value: unknown,
  replacer: (key: string, member: unknown) => unknown = refuseLossy,
): string {
  const json: string | undefined = JSON.stringify(value, replacer);
  return json === undefined ? '' : (JSON.parse(json, toRecord) as string);
}

/**
 * Encodes a value the way divolte.js does. Returns `''` when there is nothing to send (the value is
 * `undefined`, or its `toJSON()` returns `undefined`): the tracker then leaves `u` out, just as
 * divolte.js did when its encoder returned `undefined`. Boxed primitives are unwrapped, as
 * JSON.stringify does; divolte.js sent their indexed characters as an object, which no caller can
 * have wanted.
 *
 * @throws MincodeError for functions, symbols, bigints (anywhere in the value) and cycles. Errors
 *   thrown by a value's own getters or toJSON pass through, except that a TypeError is taken for
 *   the cycle JSON.stringify reports with one.
 */
export function encodeMincode(value: unknown): string {
  try {
    return mincodeOf(value, (_key, member) => {
      const type = typeof member;
      // A toString tag catches boxed bigints without naming BigInt, so that browsers without it
      // still load this module.
      if (/^(f|sy|bi)/.test(type) || Object.prototype.toString.call(member) == '[object BigInt]') {
        throw new MincodeError('unsupported_type', 'mincode: cannot encode ' + type);
      }
      return member;
    });
  } catch (error) {
    throw error instanceof TypeError ? new MincodeError('cycle', 'mincode: cyclic value') : error;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

export interface MincodeLimits {
  /** Most containers open at once. Default 32. */
  readonly maxDepth?: number;
  /** Longest accepted input, in UTF-16 code units. Default 65,536. */
  readonly maxLength?: number;
  /** Most values (scalars and containers, at any depth). Default: no limit beyond maxLength. */
  readonly maxItems?: number;
}

const DEFAULT_MINCODE_LIMITS = /* @__PURE__ */ Object.freeze({ maxDepth: 32, maxLength: 65_536 });

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const BASE36_INTEGER = /^[+-]?[0-9A-Za-z]+$/;
// 36^10 < 2^53: up to ten digits parseInt() is exact, beyond that BigInt keeps it exact until the
// single final rounding to a double.
const EXACT_PARSEINT_DIGITS = 10;
// More significant digits than this overflow a double (36^199 > 1.8e308).
const MAX_BASE36_DIGITS = 199;

interface Frame {
  readonly array: JsonValue[] | undefined;
  readonly object: { [key: string]: JsonValue } | undefined;
  /** The name under which this container is stored in its parent object. */
  readonly name: string | undefined;
}

class Decoder {
  private pos = 0;
  private items = 0;
  private readonly stack: Frame[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly maxItems: number,
  ) {}

  private fail(reason: MincodeErrorReason, message: string, position = this.pos): never {
    throw new MincodeError(reason, `${message} at offset ${position}`, position);
  }

  /** Reads an escaped string up to and including its terminating '!'. */
  private readString(): string {
    const text = this.text;
    const len = text.length;
    const begin = this.pos;
    let start = this.pos;
    let out = '';
    for (let i = start; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x21 /* ! */) {
        this.pos = i + 1;
        return out + text.slice(start, i);
      }
      if (c === 0x7e /* ~ */) {
        if (i + 1 >= len) this.fail('unterminated_string', 'Unfinished escape sequence', i);
        out += text.slice(start, i) + text[i + 1];
        i++;
        start = i + 1;
      }
    }
    return this.fail('unterminated_string', 'Unterminated string', begin);
  }

  private readBase36(at: number): number {
    const s = this.readString();
    if (!BASE36_INTEGER.test(s)) this.fail('bad_number', 'Invalid base-36 integer', at);
    const negative = s.charCodeAt(0) === 45;
    let digits = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? s.slice(1) : s;
    let skip = 0;
    while (skip < digits.length - 1 && digits.charCodeAt(skip) === 48) skip++;
    digits = digits.slice(skip).toLowerCase();
    let magnitude: number;
    if (digits.length <= EXACT_PARSEINT_DIGITS) {
      magnitude = parseInt(digits, 36);
    } else {
      if (digits.length > MAX_BASE36_DIGITS) this.fail('bad_number', 'Integer too large', at);
      // BigInt() calls, not literals, so that the tracker bundle still parses in older browsers.
      const radix = BigInt(36);
      let big = BigInt(0);
      for (let i = 0; i < digits.length; i++) big = big * radix + BigInt(parseInt(digits[i]!, 36));
      magnitude = Number(big);
      if (!Number.isFinite(magnitude)) this.fail('bad_number', 'Integer too large', at);
    }
    // JSON has no negative zero; Divolte's BigInteger had none either.
    return negative && magnitude !== 0 ? -magnitude : magnitude;
  }

  private readJsonNumber(at: number): number {
    const s = this.readString();
    if (!JSON_NUMBER.test(s)) this.fail('bad_number', 'Invalid JSON number', at);
    const n = Number(s);
    if (!Number.isFinite(n)) this.fail('bad_number', 'Number out of range', at);
    return n === 0 ? 0 : n;
  }

  private open(array: boolean, name: string | undefined, at: number): void {
    if (this.stack.length >= this.maxDepth) this.fail('too_deep', 'Nesting too deep', at);
    this.stack.push(array ? { array: [], object: undefined, name } : { array: undefined, object: {}, name });
  }

  decode(): JsonValue {
    const text = this.text;
    const len = text.length;
    for (;;) {
      if (this.pos >= len) this.fail('unexpected_end', 'Unexpected end of input');
      const at = this.pos;
      const type = text[this.pos++];
      const frame = this.stack[this.stack.length - 1];
      let name: string | undefined;
      let value: JsonValue;

      if (frame?.object !== undefined) {
        if (type === ')') {
          this.stack.pop();
          if (this.store(frame.object, frame.name)) return frame.object;
          continue;
        }
        name = this.readString();
      } else if (frame?.array !== undefined && type === '.') {
        this.stack.pop();
        if (this.store(frame.array, frame.name)) return frame.array;
        continue;
      }

      if (++this.items > this.maxItems) this.fail('too_many_items', 'Too many values', at);
      switch (type) {
        case 's':
          value = this.readString();
          break;
        case 't':
          value = true;
          break;
        case 'f':
          value = false;
          break;
        case 'n':
          value = null;
          break;
        case 'd':
          value = this.readBase36(at);
          break;
        case 'j':
          value = this.readJsonNumber(at);
          break;
        case 'o':
          // An empty object in one character. divolte.js never emits it, Divolte's parser accepts it.
          if (this.stack.length >= this.maxDepth) this.fail('too_deep', 'Nesting too deep', at);
          value = {};
          break;
        case '(':
          this.open(false, name, at);
          continue;
        case 'a':
          this.open(true, name, at);
          continue;
        default:
          return this.fail('unknown_record', `Unexpected record type ${JSON.stringify(type)}`, at);
      }
      if (this.store(value, name)) return value;
    }
  }

  /** Adds a finished value to its container; true when it is the whole document. */
  private store(value: JsonValue, name: string | undefined): boolean {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      if (this.pos !== this.text.length) this.fail('trailing_data', 'Unexpected data after the value');
      return true;
    }
    if (parent.array !== undefined) {
      parent.array.push(value);
    } else if (name === '__proto__') {
      // Plain assignment would invoke the prototype setter; JSON.parse also makes it an own property.
      Object.defineProperty(parent.object, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      parent.object![name!] = value;
    }
    return false;
  }
}

function limit(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!(value >= 0)) throw new RangeError(`mincode ${what} must be a non-negative number`);
  return value;
}

/**
 * Decodes a mincode document into a plain JSON value. Strict where Divolte was lenient only in
 * ways its tracker never relied on: the whole input must be one value (Divolte ignored trailing
 * text), `j` must be a JSON number and `d` a base-36 integer (optional sign, either case, as Java's
 * BigInteger accepted), and numbers must fit a double.
 *
 * @throws MincodeError on any malformed or over-limit input, and nothing else for any input.
 * @throws RangeError when a limit is negative or not a number, which is a programming error.
 */
export function decodeMincode(text: string, limits: MincodeLimits = {}): JsonValue {
  const maxDepth = limit(limits.maxDepth, DEFAULT_MINCODE_LIMITS.maxDepth, 'maxDepth');
  const maxLength = limit(limits.maxLength, DEFAULT_MINCODE_LIMITS.maxLength, 'maxLength');
  const maxItems = limit(limits.maxItems, Infinity, 'maxItems');
  if (typeof text !== 'string') throw new MincodeError('not_a_string', 'mincode input must be a string');
  if (text.length > maxLength) {
    throw new MincodeError('too_long', `mincode input of ${text.length} characters exceeds ${maxLength}`);
  }
  return new Decoder(text, maxDepth, maxItems).decode();
}
