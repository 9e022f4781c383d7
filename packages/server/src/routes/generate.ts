import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.ts';
import { ProblemSchema } from '../errors/problem.ts';
import { callContextOf } from '../http/call-context.ts';
import { dtoSerializerCompiler } from '../http/dto-serializer-compiler.ts';
import { GenerateBodySchema } from '../llm/generate-request.ts';
import { GenerateResponseSchema } from '../llm/generate-response.ts';
import { StructuredBodySchema, StructuredResponseSchema } from '../llm/structured-request.ts';

const errors = { 400: ProblemSchema, 402: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema };

/** `POST /v1/generate` and `POST /v1/structured`. */
export const generateRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/v1/generate',
    {
      schema: {
        tags: ['generate'],
        summary: 'Generate an answer (free prompt, messages, or template + variables)',
        body: GenerateBodySchema,
        response: { 200: GenerateResponseSchema, ...errors },
      },
      serializerCompiler: dtoSerializerCompiler,
    },
    async (request, reply) => {
      const claim = deps.callLines?.hold(request.id, reply.raw);
      request.callLine = claim;
      try {
        return await deps.llm.generate(request.body, callContextOf(request, deps.config.simulated));
      } finally {
        claim?.release();
      }
    },
  );

  app.post(
    '/v1/structured',
    {
      schema: {
        tags: ['generate'],
        summary: 'Generate a JSON object validated against a JSON Schema (re-asked on invalid answers)',
        body: StructuredBodySchema,
        response: { 200: StructuredResponseSchema, ...errors },
      },
      serializerCompiler: dtoSerializerCompiler,
    },
    async (request, reply) => {
      const claim = deps.callLines?.hold(request.id, reply.raw);
      request.callLine = claim;
      try {
        return await deps.llm.structured(request.body, callContextOf(request, deps.config.simulated));
      } finally {
        claim?.release();
      }
    },
  );
};
