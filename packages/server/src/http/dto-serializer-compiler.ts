import type { FastifySchema } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { serializerCompiler } from 'fastify-type-provider-zod';

/**
 * The serializer of routes whose 200 answer is a DTO our own code builds field by field
 * (`toGenerateResponse`), typed by the response schema: plain `JSON.stringify`, without the Zod
 * encode pass that copies the whole object again on every request. Other statuses keep the Zod
 * serializer.
 *
 * @example
 * app.post('/v1/generate', { schema, serializerCompiler: dtoSerializerCompiler }, handler);
 */
export function dtoSerializerCompiler<Schema extends FastifySchema>(
  routeSchema: FastifyRouteSchemaDef<Schema>,
): (data: unknown) => string {
  if (routeSchema.httpStatus === '200') return (data) => JSON.stringify(data);
  return serializerCompiler(routeSchema as unknown as Parameters<typeof serializerCompiler>[0]);
}
