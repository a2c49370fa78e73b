import { parseDatetime } from './datetime.ts';

// Query parameters validated as FastAPI with pydantic v2 validates them, collecting one entry
// per bad field in FastAPI's 422 shape. `ctx` is present exactly where pydantic sets it.

export interface ErrorEntry {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** Thrown with every bad field of a request; rendered as 422 {"detail": [...]}. */
export class RequestValidationError extends Error {
  constructor(readonly entries: ErrorEntry[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

/** Collects entries while a request's parameters are read, then throws them all at once. */
export class Checker {
  readonly entries: ErrorEntry[] = [];
  constructor(private readonly where: 'query' | 'path') {}

  private fail(name: string, type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): undefined {
    this.entries.push({ type, loc: [this.where, name], msg, input, ...(ctx ? { ctx } : {}) });
    return undefined;
  }

  /** An integer with inclusive bounds; "5", " 5 " and "5.0" are 5, as in pydantic's lax mode. */
  int(name: string, input: string | undefined, fallback: number, bounds: { ge?: number; le?: number }): number | undefined {
    if (input === undefined) return fallback;
    const m = /^\s*([+-]?\d+)(?:\.0*)?\s*$/.exec(input);
    if (!m) return this.fail(name, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', input);
    const value = BigInt(m[1]);
    if (bounds.ge !== undefined && value < BigInt(bounds.ge)) return this.fail(name, 'greater_than_equal', `Input should be greater than or equal to ${bounds.ge}`, input, { ge: bounds.ge });
    if (bounds.le !== undefined && value > BigInt(bounds.le)) return this.fail(name, 'less_than_equal', `Input should be less than or equal to ${bounds.le}`, input, { le: bounds.le });
    // Past the safe range no record can match; keep the value exact enough to say so.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER + 1 : Number(value);
  }

  /** One of fixed values: `enum` for an Enum class, `literal_error` for a Literal. */
  choice<T extends string>(name: string, input: string | undefined, fallback: T, values: readonly T[], type: 'enum' | 'literal_error'): T | undefined {
    if (input === undefined) return fallback;
    if ((values as readonly string[]).includes(input)) return input as T;
    const expected = expectedList(values);
    return this.fail(name, type, `Input should be ${expected}`, input, { expected });
  }

  /** A string of at most `max` characters, as pydantic's max_length checks it. */
  text(name: string, input: string | undefined, max: number): string | undefined {
    if (input === undefined) return undefined;
    if ([...input].length > max) return this.fail(name, 'string_too_long', `String should have at most ${max} characters`, input, { max_length: max });
    return input;
  }

  /** A datetime, as an ISO instant Postgres reads exactly. */
  datetime(name: string, input: string | undefined): string | undefined {
    if (input === undefined) return undefined;
    const parsed = parseDatetime(input);
    if (parsed.ok) return parsed.value;
    return this.fail(name, 'datetime_from_date_parsing', `Input should be a valid datetime or date, ${parsed.error}`, input, { error: parsed.error });
  }

  done() {
    if (this.entries.length > 0) throw new RequestValidationError(this.entries);
  }
}

/** A check made after parsing, reported like a pydantic validator raising ValueError. */
export function valueError(where: 'query' | 'path', name: string, input: unknown, message: string): RequestValidationError {
  // FastAPI encodes the exception object in ctx.error as {}.
  return new RequestValidationError([{ type: 'value_error', loc: [where, name], msg: `Value error, ${message}`, input, ctx: { error: {} } }]);
}

/** pydantic's wording: 'a', 'b' or 'c'. */
export function expectedList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
