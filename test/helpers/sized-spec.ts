/**
 * Generated OpenAPI documents of a chosen size, shaped like real ones (resources with list, get,
 * create and delete operations, parameters, request and response schemas in components), for tests
 * and benchmarks that need specs of realistic weight rather than one-line stubs.
 */
const NOUNS = ["order", "payment", "refund", "invoice", "shipment", "product", "customer", "warehouse", "price", "review", "coupon", "ledger"];
const FIELDS = ["id", "status", "createdAt", "updatedAt", "amount", "currency", "owner", "region", "notes", "reference", "quantity", "tags"];

function schemaFor(noun: string, n: number) {
  const properties: Record<string, unknown> = {};
  for (let f = 0; f < FIELDS.length; f++) {
    const field = FIELDS[(f + n) % FIELDS.length]!;
    properties[`${field}${f}`] =
      f % 3 === 0
        ? { type: "string", description: `The ${field} of the ${noun}, as recorded when it was last changed.`, maxLength: 200 }
        : f % 3 === 1
          ? { type: "integer", format: "int64", minimum: 0, description: `How many ${field} units the ${noun} holds.` }
          : { type: "array", items: { type: "string" }, description: `Labels for the ${noun}'s ${field}.` };
  }
  return { type: "object", required: [`${FIELDS[n % FIELDS.length]}0`], properties };
}

/** An OpenAPI 3.0.3 document of about `bytes` bytes (JSON), distinct for each `i`. */
export function openApiOfSize(i: number, bytes: number, title = `Generated API ${i}`): string {
  const doc = {
    openapi: "3.0.3",
    info: { title, version: `1.${i % 10}.0`, description: `A generated API (number ${i}) for benchmarks and tests.`, contact: { name: `Team ${i % 40}`, email: `team${i % 40}@example.com` } },
    servers: [{ url: `https://api-${i}.example.com/v1` }],
    paths: {} as Record<string, unknown>,
    components: { schemas: {} as Record<string, unknown>, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
  };
  let size = JSON.stringify(doc).length;
  for (let n = 0; size < bytes; n++) {
    const noun = `${NOUNS[n % NOUNS.length]}${Math.floor(n / NOUNS.length) || ""}`;
    const schema = `${noun[0]!.toUpperCase()}${noun.slice(1)}`;
    const ref = { $ref: `#/components/schemas/${schema}` };
    const paths = {
      [`/${noun}s`]: {
        get: {
          operationId: `list-${noun}s-${i}`,
          tags: [noun],
          summary: `List ${noun}s`,
          parameters: [
            { name: "top", in: "query", schema: { type: "integer", maximum: 1000 }, description: "Page size" },
            { name: "filter", in: "query", schema: { type: "string" }, description: `OData filter over the ${noun}s` },
          ],
          responses: { 200: { description: "A page", content: { "application/json": { schema: { type: "object", properties: { value: { type: "array", items: ref }, nextLink: { type: "string" } } } } } } },
        },
        post: { operationId: `create-${noun}-${i}`, tags: [noun], summary: `Create a ${noun}`, requestBody: { required: true, content: { "application/json": { schema: ref } } }, responses: { 201: { description: "Created", content: { "application/json": { schema: ref } } } } },
      },
      [`/${noun}s/{id}`]: {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: { operationId: `get-${noun}-${i}`, tags: [noun], summary: `Get one ${noun}`, responses: { 200: { description: "Found", content: { "application/json": { schema: ref } } }, 404: { description: "Not found" } } },
        delete: { operationId: `delete-${noun}-${i}`, tags: [noun], summary: `Delete a ${noun}`, responses: { 204: { description: "Deleted" } } },
      },
    };
    Object.assign(doc.paths, paths);
    doc.components.schemas[schema] = schemaFor(noun, n + i);
    size += JSON.stringify(paths).length + JSON.stringify(doc.components.schemas[schema]).length;
  }
  return JSON.stringify(doc);
}
