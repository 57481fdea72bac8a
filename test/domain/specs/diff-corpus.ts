/**
 * Known breaking and non-breaking changes between two versions of an OpenAPI document, from a
 * client's point of view: a change is breaking when a call that worked before can now fail or be
 * misread (what the client sends is refused or ignored, what it reads is gone, changed or new to it).
 * Each case changes one thing in a realistic base document; `codes` are the change codes it must
 * report (as `impact code`), and the verdict follows from them.
 */
type Doc = Record<string, any>;

export interface DiffCase {
  name: string;
  before: Doc;
  after: Doc;
  verdict: "breaking" | "non-breaking" | "identical";
  codes: string[];
}

const json = (schema: Doc) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A small users-and-pets API with what real specs use: $refs, allOf, oneOf, enums, shared parameters, security. */
export function base(): Doc {
  return {
    openapi: "3.0.3",
    info: { title: "Accounts", version: "1.0.0", description: "Users and their pets." },
    security: [{ oauth: ["read"] }],
    paths: {
      "/users": {
        get: {
          operationId: "listUsers",
          summary: "List users",
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer" } },
            { name: "status", in: "query", schema: { type: "string", enum: ["active", "disabled", "invited"] } },
            { $ref: "#/components/parameters/Tenant" },
          ],
          responses: { "200": { description: "ok", ...json({ type: "array", items: ref("User") }) } },
        },
        post: {
          operationId: "createUser",
          requestBody: { required: true, ...json(ref("NewUser")) },
          responses: { "201": { description: "created", ...json(ref("User")) }, "400": { description: "bad" } },
        },
      },
      "/users/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: { operationId: "getUser", responses: { "200": { description: "ok", ...json(ref("User")) }, "404": { description: "none" } } },
        delete: { operationId: "deleteUser", security: [{ oauth: ["write"] }], responses: { "204": { description: "gone" } } },
      },
      "/pets": {
        get: {
          operationId: "listPets",
          security: [],
          responses: { "200": { description: "ok", ...json({ type: "array", items: ref("Pet") }) } },
        },
        post: {
          operationId: "addPet",
          requestBody: { ...json({ anyOf: [ref("Cat"), ref("Dog")] }) },
          responses: { "201": { description: "ok" } },
        },
      },
    },
    components: {
      parameters: { Tenant: { name: "X-Tenant", in: "header", required: false, schema: { type: "string" } } },
      securitySchemes: { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://example.com/token", scopes: { read: "r", write: "w" } } } } },
      schemas: {
        Base: { type: "object", required: ["id"], properties: { id: { type: "string" }, createdAt: { type: "string", format: "date-time" } } },
        User: {
          allOf: [
            ref("Base"),
            {
              type: "object",
              required: ["name"],
              properties: {
                name: { type: "string" },
                email: { type: "string" },
                role: { type: "string", enum: ["admin", "member"] },
                address: { type: "object", properties: { city: { type: "string" }, zip: { type: "string" } } },
              },
            },
          ],
        },
        NewUser: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 100 }, email: { type: "string" }, role: { type: "string", enum: ["admin", "member"] } } },
        Pet: { oneOf: [ref("Cat"), ref("Dog")] },
        Cat: { type: "object", title: "Cat", properties: { name: { type: "string" }, indoor: { type: "boolean" } } },
        Dog: { type: "object", title: "Dog", properties: { name: { type: "string" }, breed: { type: "string" } } },
        Bird: { type: "object", title: "Bird", properties: { name: { type: "string" }, wingspan: { type: "number" } } },
      },
    },
  };
}

/** A case: the base before, the base with `change` applied after. */
function c(name: string, verdict: DiffCase["verdict"], codes: string[], change: (d: Doc) => void, from: () => Doc = base): DiffCase {
  const after = from();
  change(after);
  return { name, before: from(), after, verdict, codes };
}

const swagger2 = (): Doc => ({
  swagger: "2.0",
  info: { title: "Legacy", version: "1" },
  paths: {
    "/orders": {
      post: {
        parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Order" } }],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Order" } } },
      },
    },
  },
  definitions: { Order: { type: "object", required: ["sku"], properties: { sku: { type: "string" }, qty: { type: "integer" }, note: { type: "string" } } } },
});

const op = (d: Doc, path: string, method: string) => d.paths[path][method];
const S = (d: Doc) => d.components.schemas;

export const CORPUS: DiffCase[] = [
  // Operations
  c("operation removed", "breaking", ["breaking operation-removed DELETE /users/{id}"], (d) => delete d.paths["/users/{id}"].delete),
  c("whole path removed", "breaking", ["breaking operation-removed GET /pets", "breaking operation-removed POST /pets"], (d) => delete d.paths["/pets"]),
  c("operation added", "non-breaking", ["non-breaking operation-added PUT /users/{id}"], (d) => (d.paths["/users/{id}"].put = { responses: { "200": { description: "ok" } } })),
  c("operation deprecated", "non-breaking", ["non-breaking operation-deprecated GET /users"], (d) => (op(d, "/users", "get").deprecated = true)),
  c("path parameter renamed ({id} to {userId})", "identical", [], (d) => {
    d.paths["/users/{userId}"] = d.paths["/users/{id}"];
    delete d.paths["/users/{id}"];
    d.paths["/users/{userId}"].parameters[0].name = "userId";
  }),
  c("descriptions, summaries, examples and info changed", "identical", [], (d) => {
    d.info.description = "All about users.";
    d.info.version = "1.1.0";
    op(d, "/users", "get").summary = "Lists the users";
    op(d, "/users", "get").description = "Paged.";
    S(d).Base.properties.id.description = "The id";
    S(d).Base.properties.id.example = "u-1";
  }),
  c("parameter moved from the path item into each operation", "identical", [], (d) => {
    const [id] = d.paths["/users/{id}"].parameters;
    delete d.paths["/users/{id}"].parameters;
    op(d, "/users/{id}", "get").parameters = [id];
    op(d, "/users/{id}", "delete").parameters = [structuredClone(id)];
  }),
  c("a component inlined where it was referenced", "identical", [], (d) => (op(d, "/users", "post").requestBody.content["application/json"].schema = structuredClone(S(d).NewUser))),

  // Parameters
  c("required query parameter added", "breaking", ["breaking required-parameter-added GET /users query parameter 'org'"], (d) => op(d, "/users", "get").parameters.push({ name: "org", in: "query", required: true, schema: { type: "string" } })),
  c("optional query parameter added", "non-breaking", ["non-breaking parameter-added GET /users query parameter 'cursor'"], (d) => op(d, "/users", "get").parameters.push({ name: "cursor", in: "query", schema: { type: "string" } })),
  c("optional parameter made required", "breaking", ["breaking parameter-made-required GET /users query parameter 'limit'"], (d) => (op(d, "/users", "get").parameters[0].required = true)),
  c("required header made optional", "non-breaking", ["non-breaking parameter-made-optional GET /users header parameter 'X-Tenant'"], (d) => (d.components.parameters.Tenant.required = false), () => {
    const d = base();
    d.components.parameters.Tenant.required = true;
    return d;
  }),
  c("query parameter removed", "breaking", ["breaking parameter-removed GET /users query parameter 'status'"], (d) => op(d, "/users", "get").parameters.splice(1, 1)),
  c("query parameter renamed", "breaking", ["breaking parameter-removed GET /users query parameter 'limit'", "non-breaking parameter-added GET /users query parameter 'pageSize'"], (d) => (op(d, "/users", "get").parameters[0].name = "pageSize")),
  c("parameter type changed", "breaking", ["breaking parameter-type-changed GET /users query parameter 'limit'"], (d) => (op(d, "/users", "get").parameters[0].schema.type = "string")),
  c("query enum narrowed", "breaking", ["breaking parameter-enum-value-removed GET /users query parameter 'status'"], (d) => (op(d, "/users", "get").parameters[1].schema.enum = ["active", "disabled"])),
  c("query enum widened", "non-breaking", ["non-breaking parameter-enum-value-added GET /users query parameter 'status'"], (d) => op(d, "/users", "get").parameters[1].schema.enum.push("banned")),
  c("shared ($ref'd) header parameter made required", "breaking", ["breaking parameter-made-required GET /users header parameter 'X-Tenant'"], (d) => (d.components.parameters.Tenant.required = true)),

  // Request bodies
  c("request field newly required", "breaking", ["breaking request-field-made-required POST /users request body 'email'"], (d) => S(d).NewUser.required.push("email")),
  c("required request field added", "breaking", ["breaking request-field-made-required POST /users request body 'org'"], (d) => {
    S(d).NewUser.properties.org = { type: "string" };
    S(d).NewUser.required.push("org");
  }),
  c("optional request field added", "non-breaking", ["non-breaking request-field-added POST /users request body 'phone'"], (d) => (S(d).NewUser.properties.phone = { type: "string" })),
  c("request field removed", "breaking", ["breaking request-field-removed POST /users request body 'email'"], (d) => delete S(d).NewUser.properties.email),
  c("request field type changed", "breaking", ["breaking request-field-type-changed POST /users request body 'name'"], (d) => (S(d).NewUser.properties.name = { type: "integer" })),
  c("request field enum narrowed", "breaking", ["breaking request-field-enum-value-removed POST /users request body 'role'"], (d) => (S(d).NewUser.properties.role.enum = ["member"])),
  c("request field limit tightened", "breaking", ["breaking request-field-constraint-tightened POST /users request body 'name'"], (d) => (S(d).NewUser.properties.name.maxLength = 20)),
  c("request body made required", "breaking", ["breaking request-body-made-required POST /pets request body"], (d) => (op(d, "/pets", "post").requestBody.required = true)),
  c("request body made optional", "non-breaking", ["non-breaking request-body-made-optional POST /users request body"], (d) => (op(d, "/users", "post").requestBody.required = false)),
  c("request anyOf branch removed", "breaking", ["breaking request-branch-removed POST /pets request body 'anyOf:Dog'"], (d) => (op(d, "/pets", "post").requestBody.content["application/json"].schema.anyOf = [ref("Cat")])),
  c("request anyOf branch added", "non-breaking", ["non-breaking request-branch-added POST /pets request body 'anyOf:Bird'"], (d) => op(d, "/pets", "post").requestBody.content["application/json"].schema.anyOf.push(ref("Bird"))),
  c("request media type removed", "breaking", ["breaking request-media-type-removed POST /users request body application/json", "non-breaking request-media-type-added POST /users request body application/xml"], (d) => {
    const rb = op(d, "/users", "post").requestBody;
    rb.content = { "application/xml": rb.content["application/json"] };
  }),

  // Responses
  c("success response removed", "breaking", ["breaking success-response-removed GET /users/{id} 200"], (d) => (op(d, "/users/{id}", "get").responses = { "404": { description: "none" } })),
  c("success response added", "non-breaking", ["non-breaking success-response-added POST /users 200"], (d) => (op(d, "/users", "post").responses["200"] = { description: "existing", ...json(ref("User")) })),
  c("response field removed (inline object)", "breaking", ["breaking response-field-removed GET /users 200 '[].address.zip'", "breaking response-field-removed GET /users/{id} 200 'address.zip'", "breaking response-field-removed POST /users 201 'address.zip'"], (d) => delete S(d).User.allOf[1].properties.address.properties.zip),
  c("response field removed inside allOf", "breaking", ["breaking response-field-removed GET /users 200 '[].email'", "breaking response-field-removed GET /users/{id} 200 'email'", "breaking response-field-removed POST /users 201 'email'"], (d) => delete S(d).User.allOf[1].properties.email),
  c("response field removed from a $ref'd component", "breaking", ["breaking response-field-removed GET /users 200 '[].createdAt'", "breaking response-field-removed GET /users/{id} 200 'createdAt'", "breaking response-field-removed POST /users 201 'createdAt'"], (d) => delete S(d).Base.properties.createdAt),
  c("response field type changed", "breaking", ["breaking response-field-type-changed GET /users/{id} 200 'id'", "breaking response-field-type-changed GET /users 200 '[].id'", "breaking response-field-type-changed POST /users 201 'id'"], (d) => (S(d).Base.properties.id = { type: "integer" })),
  c("required response field made optional", "breaking", ["breaking response-field-made-optional GET /users 200 '[].name'", "breaking response-field-made-optional GET /users/{id} 200 'name'", "breaking response-field-made-optional POST /users 201 'name'"], (d) => (S(d).User.allOf[1].required = [])),
  c("response field added", "non-breaking", ["non-breaking response-field-added GET /users 200 '[].phone'", "non-breaking response-field-added GET /users/{id} 200 'phone'", "non-breaking response-field-added POST /users 201 'phone'"], (d) => (S(d).User.allOf[1].properties.phone = { type: "string" })),
  c("response enum widened", "breaking", ["breaking response-field-enum-value-added GET /users 200 '[].role'", "breaking response-field-enum-value-added GET /users/{id} 200 'role'", "breaking response-field-enum-value-added POST /users 201 'role'"], (d) => S(d).User.allOf[1].properties.role.enum.push("owner")),
  c("response field made nullable", "breaking", ["breaking response-field-made-nullable GET /users/{id} 200 'address.city'", "breaking response-field-made-nullable GET /users 200 '[].address.city'", "breaking response-field-made-nullable POST /users 201 'address.city'"], (d) => (S(d).User.allOf[1].properties.address.properties.city.nullable = true)),
  c("response oneOf branch added", "breaking", ["breaking response-branch-added GET /pets 200 '[].oneOf:Bird'"], (d) => S(d).Pet.oneOf.push(ref("Bird"))),
  c("response oneOf branch removed", "non-breaking", ["non-breaking response-branch-removed GET /pets 200 '[].oneOf:Dog'"], (d) => (S(d).Pet.oneOf = [ref("Cat")])),
  c("field removed inside a response oneOf branch", "breaking", ["breaking response-field-removed GET /pets 200 '[].oneOf:Dog.breed'", "breaking request-field-removed POST /pets request body 'anyOf:Dog.breed'"], (d) => delete S(d).Dog.properties.breed),
  c("response media type removed", "breaking", ["breaking response-media-type-removed GET /users/{id} 200 application/json", "non-breaking response-media-type-added GET /users/{id} 200 application/xml"], (d) => {
    const r = op(d, "/users/{id}", "get").responses["200"];
    r.content = { "application/xml": r.content["application/json"] };
  }),

  // Security
  c("security requirement added to an open operation", "breaking", ["breaking security-added GET /pets"], (d) => (op(d, "/pets", "get").security = [{ oauth: ["read"] }])),
  c("security scope added", "breaking", ["breaking security-added DELETE /users/{id}"], (d) => (op(d, "/users/{id}", "delete").security = [{ oauth: ["write", "admin"] }])),
  c("global security scope added", "breaking", ["breaking security-added GET /users", "breaking security-added POST /users", "breaking security-added GET /users/{id}", "breaking security-added POST /pets"], (d) => (d.security = [{ oauth: ["read", "profile"] }])),
  c("security requirement removed", "non-breaking", ["non-breaking security-relaxed DELETE /users/{id}"], (d) => (op(d, "/users/{id}", "delete").security = [])),
  c("another way to authenticate offered", "non-breaking", ["non-breaking security-relaxed DELETE /users/{id}"], (d) => op(d, "/users/{id}", "delete").security.push({ apiKey: [] })),

  // Swagger 2.0
  c("2.0: body field newly required", "breaking", ["breaking request-field-made-required POST /orders request body 'qty'", "non-breaking response-field-made-required POST /orders 200 'qty'"], (d) => d.definitions.Order.required.push("qty"), swagger2),
  c("2.0: response field removed", "breaking", ["breaking request-field-removed POST /orders request body 'note'", "breaking response-field-removed POST /orders 200 'note'"], (d) => delete d.definitions.Order.properties.note, swagger2),
  c("2.0: response field added", "non-breaking", ["non-breaking request-field-added POST /orders request body 'ref'", "non-breaking response-field-added POST /orders 200 'ref'"], (d) => (d.definitions.Order.properties.ref = { type: "string" }), swagger2),
];
