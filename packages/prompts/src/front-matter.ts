import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { TemplateSyntaxError } from './errors.ts';
import { IDENTIFIER } from './identifier.ts';
import { SEMVER } from './semver.ts';

const VARIABLE_NAME_RULE = 'variable names are letters, digits and _ (not a leading digit)';

/** `name: Some description` and a bare `name:` are shorthands for the object form. */
const variableDeclaration = z.preprocess(
  (value) => (typeof value === 'string' ? { description: value } : value === null ? {} : value),
  z.strictObject({
    description: z.string().optional(),
    default: z.unknown().optional(),
    required: z.boolean().optional(),
  }),
);

/**
 * The YAML front matter of a template file, validated. Unknown keys are errors, so a typo such
 * as `temprature` fails loudly instead of being ignored.
 *
 * @example
 * FrontMatterSchema.parse({ version: '1.2.0', params: { temperature: 0.2 } });
 */
export const FrontMatterSchema = z.strictObject({
  version: z
    .string({ error: 'version must be a semver string such as 1.2.0' })
    .regex(SEMVER, 'version must be a semver string such as 1.2.0')
    .optional(),
  description: z.string().optional(),
  model: z
    .string()
    .regex(/^[^/\s]+\/\S+$/, 'model must be named provider/model, e.g. anthropic/claude-haiku-4-5')
    .optional(),
  params: z
    .strictObject({
      temperature: z.number().min(0).max(2).optional(),
      maxTokens: z.number().int().positive().optional(),
    })
    .optional(),
  // A list of names is a shorthand for a mapping of names without details.
  variables: z
    .preprocess(
      (value) =>
        Array.isArray(value) ? Object.fromEntries(value.map((name) => [String(name), null])) : value,
      z.record(z.string(), variableDeclaration).superRefine((variables, context) => {
        for (const name of Object.keys(variables)) {
          if (IDENTIFIER.test(name)) continue;
          context.addIssue({ code: 'custom', path: [name], message: VARIABLE_NAME_RULE });
        }
      }),
    )
    .optional(),
});

/** Front matter after validation; `variables` is always the map form. */
export type FrontMatter = z.output<typeof FrontMatterSchema>;

/** A declared variable as written in front matter. */
export type VariableDeclaration = { description?: string; default?: unknown; required?: boolean };

/** A template file split into its validated front matter and its Nunjucks body. */
export type TemplateFileParts = {
  frontMatter: FrontMatter;
  body: string;
  /** 1-based line of the file on which `body` starts (1 without front matter). */
  bodyLine: number;
};

/**
 * Splits a template file into YAML front matter (between a first line `---` and the next `---`
 * line) and the template body, validating the front matter with {@link FrontMatterSchema}.
 * Errors are {@link TemplateSyntaxError}s naming `file` and the 1-based line in the file
 * (`shown` is how the file is named in messages).
 *
 * @example
 * const { frontMatter, body } = parseFrontMatter('---\nversion: 1.0.0\n---\nHello {{ name }}', 'hello.txt');
 */
export function parseFrontMatter(text: string, file: string, shown: string = file): TemplateFileParts {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = source.split('\n');
  if (lines[0]?.replace(/\r$/, '').trimEnd() !== '---') {
    return { frontMatter: {}, body: source, bodyLine: 1 };
  }
  const closing = lines.findIndex((line, index) => index > 0 && line.replace(/\r$/, '').trimEnd() === '---');
  if (closing === -1) {
    throw new TemplateSyntaxError(`${shown}:1: front matter opened with '---' is never closed`, {
      file,
      line: 1,
    });
  }
  const yamlText = lines
    .slice(1, closing)
    .map((line) => line.replace(/\r$/, ''))
    .join('\n');
  const body = lines.slice(closing + 1).join('\n');
  const frontMatter = parseYamlFrontMatter(yamlText, file, shown);
  return { frontMatter, body, bodyLine: closing + 2 };
}

/** Line 1 of the YAML text is line 2 of the file (after the opening `---`). */
const YAML_LINE_OFFSET = 1;

function parseYamlFrontMatter(yamlText: string, file: string, shown: string): FrontMatter {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const line = (yamlError.linePos?.[0]?.line ?? 1) + YAML_LINE_OFFSET;
    const reason = yamlError.message.split('\n')[0];
    throw new TemplateSyntaxError(`${shown}:${line}: invalid YAML in front matter: ${reason}`, {
      file,
      line,
    });
  }
  const data: unknown = document.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    const line = 1 + YAML_LINE_OFFSET;
    throw new TemplateSyntaxError(`${shown}:${line}: front matter must be a YAML mapping of fields`, {
      file,
      line,
    });
  }
  const parsed = FrontMatterSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : [])];
  const offset = offsetOfPath(document.contents, path.map(String));
  const line = lineCounter.linePos(offset).line + YAML_LINE_OFFSET;
  const where = path.length > 0 ? `'${path.join('.')}'` : 'front matter';
  const reason =
    issue.code === 'unrecognized_keys' ? `unknown field '${issue.keys.join("', '")}'` : issue.message;
  throw new TemplateSyntaxError(`${shown}:${line}: invalid ${where}: ${reason}`, { file, line });
}

/** Offset in the YAML text of the deepest node along `path` (its key when the value is missing). */
function offsetOfPath(root: YamlNode | null, path: string[]): number {
  let node: unknown = root;
  let offset = 0;
  for (const segment of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    if (pair === undefined) break;
    const key = pair.key as YamlNode;
    offset = key.range?.[0] ?? offset;
    node = pair.value;
    const value = node as YamlNode | null;
    if (value?.range != null && !isMap(value)) offset = value.range[0];
  }
  return offset;
}
