import { type FieldError, type Problem, problemType } from './problem.ts';

const MARKER = Symbol.for('reins.server-error');

export type ServerErrorOptions = {
  status: number;
  slug: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Extra members of the problem body (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  /** Response headers, e.g. `retry-after`. */
  headers?: Record<string, string>;
  cause?: unknown;
};

/**
 * The one base class of errors the server answers with: each carries its HTTP status and the
 * data its problem body shows. Only `toProblem` turns errors into responses.
 *
 * @example
 * throw new NotFoundError('task', id);
 */
export class ServerError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(options: ServerErrorOptions) {
    super(options.detail ?? options.title, { cause: options.cause });
    this.name = 'ServerError';
    this.status = options.status;
    this.slug = options.slug;
    this.title = options.title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** Works across duplicate copies of this package. */
  static isInstance(value: unknown): value is ServerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  toProblem(context: { instance?: string; traceId?: string } = {}): Problem {
    // Extensions come first: they can never overwrite a member RFC 9457 defines.
    return {
      ...this.extensions,
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      detail: this.message,
      instance: context.instance,
      traceId: context.traceId,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

function fieldDetail(errors: FieldError[]): string {
  return errors.map((error) => `${error.in}.${error.field}: ${error.detail}`).join('; ');
}

/** 400: the request does not match its schema; `errors` names each field. */
export class RequestValidationError extends ServerError {
  constructor(errors: FieldError[]) {
    super({
      status: 400,
      slug: 'validation-error',
      title: 'Invalid request',
      detail: fieldDetail(errors),
      errors,
    });
    this.name = 'RequestValidationError';
  }

  /** One bad body field. */
  static field(field: string, detail: string): RequestValidationError {
    const pointer = `#/${field.split('.').join('/')}`;
    return new RequestValidationError([{ in: 'body', field, pointer, detail }]);
  }
}

/** 400: `model` names a provider or model this server cannot reach. */
export class UnknownModelError extends ServerError {
  constructor(model: string, known: string[]) {
    super({
      status: 400,
      slug: 'unknown-model',
      title: 'Unknown model',
      detail: `model '${model}' is not available; providers: ${known.join(', ')}`,
      errors: [{ in: 'body', field: 'model', pointer: '#/model', detail: `unknown model '${model}'` }],
      extensions: { model, providers: known },
    });
    this.name = 'UnknownModelError';
  }
}

/** 404: no such resource (or not visible to this key, which is indistinguishable on purpose). */
export class NotFoundError extends ServerError {
  constructor(resource: string, id: string, slug = 'not-found') {
    super({
      status: 404,
      slug,
      title: 'Not found',
      detail: `${resource} '${id}' does not exist`,
      extensions: { resource, id },
    });
    this.name = 'NotFoundError';
  }
}

/** 422: a template render is missing variables; `missing` lists every one of them. */
export class MissingVariablesError extends ServerError {
  constructor(template: string, missing: string[]) {
    super({
      status: 422,
      slug: 'missing-variables',
      title: 'Missing template variables',
      detail: `template '${template}' needs ${missing.map((name) => `'${name}'`).join(', ')}`,
      errors: missing.map((name) => ({
        in: 'body',
        field: `variables.${name}`,
        pointer: `#/variables/${name}`,
        detail: 'required by the template',
      })),
      extensions: { template, missing },
    });
    this.name = 'MissingVariablesError';
  }
}

/** 401: no or wrong bearer key. */
export class UnauthorizedError extends ServerError {
  constructor(detail: string) {
    super({
      status: 401,
      slug: 'unauthorized',
      title: 'Unauthorized',
      detail,
      headers: { 'www-authenticate': 'Bearer realm="reins"' },
    });
    this.name = 'UnauthorizedError';
  }
}

/** 402: this key's budget is spent. */
export class BudgetSpentError extends ServerError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super({ status: 402, slug: 'budget-spent', title: 'Budget spent', detail, extensions });
    this.name = 'BudgetSpentError';
  }
}

/** 409: the request conflicts with the resource's state (e.g. cancelling a finished task). */
export class ConflictError extends ServerError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super({ status: 409, slug: 'conflict', title: 'Conflict', detail, extensions });
    this.name = 'ConflictError';
  }
}

/** 429: this key sent too many requests. */
export class RateLimitedError extends ServerError {
  constructor(retryAfterSeconds: number, limit: number) {
    super({
      status: 429,
      slug: 'rate-limited',
      title: 'Too many requests',
      detail: `at most ${limit} requests per minute per key; retry in ${retryAfterSeconds}s`,
      extensions: { retryAfterSeconds, limit },
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
    this.name = 'RateLimitedError';
  }
}

/** 503: a dependency (store, queue, provider) cannot serve right now. */
export class UnavailableError extends ServerError {
  constructor(detail: string, extensions: Record<string, unknown> = {}, retryAfterSeconds?: number) {
    super({
      status: 503,
      slug: 'unavailable',
      title: 'Service unavailable',
      detail,
      extensions,
      headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    });
    this.name = 'UnavailableError';
  }
}
