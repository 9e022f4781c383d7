import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { ProblemSchema } from '../errors/problem.ts';
import { TemplateRefSchema } from '../llm/generate-response.ts';

const VariableSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  default: z.unknown().optional(),
  required: z.boolean(),
});

const TemplateSummarySchema = z
  .object({
    name: z.string(),
    version: z.string(),
    description: z.string().optional(),
    model: z.string().optional(),
    variables: z.array(VariableSchema),
    hash: z.string(),
    gitCommit: z.string().optional(),
    dirty: z.boolean().optional(),
  })
  .meta({ id: 'TemplateSummary' });

const TemplateDetailSchema = TemplateSummarySchema.extend({
  params: z.object({ temperature: z.number().optional(), maxTokens: z.number().optional() }).optional(),
  body: z.string().describe('the Nunjucks text after the front matter'),
}).meta({ id: 'Template' });

const RenderedSchema = z
  .object({
    system: z.string().optional(),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })),
    template: TemplateRefSchema,
    model: z.string().optional(),
    params: z.object({ temperature: z.number().optional(), maxTokens: z.number().optional() }).optional(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'RenderedPrompt' });

const NameParams = z.object({
  name: z.string().min(1).max(200).describe('a template name, or name@version'),
});

function pickVariable(variable: {
  name: string;
  description?: string;
  default?: unknown;
  required: boolean;
}) {
  return {
    name: variable.name,
    ...(variable.description === undefined ? {} : { description: variable.description }),
    ...(variable.default === undefined ? {} : { default: variable.default }),
    required: variable.required,
  };
}

/** `GET /v1/prompts`, `GET /v1/prompts/:name`, `POST /v1/prompts/:name/render`. */
export const promptRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/prompts',
    {
      schema: {
        tags: ['prompts'],
        summary: 'List the prompt templates',
        response: { 200: z.object({ items: z.array(TemplateSummarySchema) }) },
      },
    },
    async () => ({
      items: deps.prompts.list().map((template) => ({
        name: template.name,
        version: template.version,
        ...(template.description === undefined ? {} : { description: template.description }),
        ...(template.model === undefined ? {} : { model: template.model }),
        variables: template.variables.map(pickVariable),
        hash: template.hash,
        ...(template.gitCommit === undefined ? {} : { gitCommit: template.gitCommit }),
        ...(template.dirty === undefined ? {} : { dirty: template.dirty }),
      })),
    }),
  );

  app.get(
    '/v1/prompts/:name',
    {
      schema: {
        tags: ['prompts'],
        summary: 'One template: front matter, variables, version and body',
        params: NameParams,
        response: { 200: TemplateDetailSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const template = deps.prompts.get(request.params.name);
      return {
        name: template.name,
        version: template.version,
        ...(template.description === undefined ? {} : { description: template.description }),
        ...(template.model === undefined ? {} : { model: template.model }),
        ...(template.params === undefined ? {} : { params: template.params }),
        variables: template.variables.map(pickVariable),
        hash: template.hash,
        ...(template.gitCommit === undefined ? {} : { gitCommit: template.gitCommit }),
        ...(template.dirty === undefined ? {} : { dirty: template.dirty }),
        body: template.body,
      };
    },
  );

  app.post(
    '/v1/prompts/:name/render',
    {
      schema: {
        tags: ['prompts'],
        summary: 'Render a template with variables (no model call)',
        params: NameParams,
        body: z.strictObject({ variables: z.record(z.string(), z.unknown()).default({}) }),
        response: { 200: RenderedSchema, 404: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const rendered = deps.prompts.render(request.params.name, request.body.variables);
      return {
        ...(rendered.system === undefined ? {} : { system: rendered.system }),
        messages: rendered.messages,
        template: rendered.template,
        ...(rendered.model === undefined ? {} : { model: rendered.model }),
        ...(rendered.params === undefined ? {} : { params: rendered.params }),
        warnings: rendered.warnings ?? [],
      };
    },
  );
};
