const MARKER_PREFIX = 'reins.prompts.error.';

/** Data every prompt error may carry; subclasses add their own fields. */
export type PromptErrorOptions = { cause?: unknown; template?: string };

/**
 * Base class of every error `@reins/prompts` throws. `template` names the template involved;
 * `isInstance` works across duplicate copies of the package, where `instanceof` would not.
 *
 * @example
 * try { registry.render('legal_analysis', variables) } catch (error) {
 *   if (PromptError.isInstance(error)) console.error(error.template, error.message);
 * }
 */
export class PromptError extends Error {
  static readonly errorName: string = 'PromptError';
  readonly template: string | undefined;

  constructor(message: string, options: PromptErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const target = new.target as typeof PromptError;
    this.name = target.errorName;
    this.template = options.template;
    let current: unknown = target;
    while (typeof current === 'function' && 'errorName' in current) {
      Object.defineProperty(this, Symbol.for(MARKER_PREFIX + (current as typeof PromptError).errorName), {
        value: true,
      });
      current = Object.getPrototypeOf(current);
    }
  }

  /** `true` when `error` is this class (or a subclass), from any copy of `@reins/prompts`. */
  static isInstance<T extends PromptError>(
    this: { errorName: string; prototype: T },
    error: unknown,
  ): error is T {
    return (
      typeof error === 'object' &&
      error !== null &&
      // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `isInstance` is called on
      (error as Record<symbol, unknown>)[Symbol.for(MARKER_PREFIX + this.errorName)] === true
    );
  }
}

/**
 * No template by that name (or no such version of it). `available` lists what there is.
 *
 * @example
 * if (TemplateNotFoundError.isInstance(error)) console.error(`try one of: ${error.available.join(', ')}`);
 */
export class TemplateNotFoundError extends PromptError {
  static override readonly errorName: string = 'TemplateNotFoundError';
  readonly available: string[];

  constructor(message: string, options: PromptErrorOptions & { available: string[] }) {
    super(message, options);
    this.available = options.available;
  }
}

/**
 * A template file is malformed: invalid YAML or front-matter fields, a bad semver, a Nunjucks
 * syntax error, or syntax the sandbox refuses. `file` and `line` (1-based, in the file) say where.
 *
 * @example
 * if (TemplateSyntaxError.isInstance(error)) console.error(`${error.file}:${error.line}: ${error.message}`);
 */
export class TemplateSyntaxError extends PromptError {
  static override readonly errorName: string = 'TemplateSyntaxError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    message: string,
    options: PromptErrorOptions & { file: string; line?: number | undefined; column?: number | undefined },
  ) {
    super(message, options);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/**
 * A render was given the wrong variables: `missing` lists EVERY required variable that was not
 * supplied (and has no default); `extra` lists supplied names the template does not know (an
 * error only with `strictExtra`).
 *
 * @example
 * if (TemplateVariablesError.isInstance(error)) console.error(`missing: ${error.missing.join(', ')}`);
 */
export class TemplateVariablesError extends PromptError {
  static override readonly errorName: string = 'TemplateVariablesError';
  readonly missing: string[];
  readonly extra: string[];

  constructor(message: string, options: PromptErrorOptions & { missing: string[]; extra?: string[] }) {
    super(message, options);
    this.missing = options.missing;
    this.extra = options.extra ?? [];
  }
}

/**
 * Rendering failed at run time: an undefined value was used (strict undefined), a function
 * failed, or a role block was misused. `file`/`line` point into the template file when known.
 *
 * @example
 * if (TemplateRenderError.isInstance(error)) console.error(`${error.file}:${error.line}: ${error.message}`);
 */
export class TemplateRenderError extends PromptError {
  static override readonly errorName: string = 'TemplateRenderError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    message: string,
    options: PromptErrorOptions & {
      file?: string | undefined;
      line?: number | undefined;
      column?: number | undefined;
    } = {},
  ) {
    super(message, options);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/**
 * The template tried something the sandbox forbids: `constructor`/`__proto__`/`prototype`
 * lookups, inherited methods, calling what is not a plain function, or including a file outside
 * the prompts directory.
 *
 * @example
 * if (TemplateSandboxError.isInstance(error)) alert(`template ${error.template} broke a sandbox rule`);
 */
export class TemplateSandboxError extends TemplateRenderError {
  static override readonly errorName: string = 'TemplateSandboxError';
}
