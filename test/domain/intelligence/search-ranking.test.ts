/**
 * Search ranking over a realistic inventory: phrased questions as people ask them, with the APIs that
 * must come first. The inventory has what misled search in the field: descriptions full of
 * "endpoint", "service" and "expose", an API about users with no /users path, paths under a base
 * path, and /users only as a sub-path.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { domainOnLocal } from "../../helpers/domain.js";

const ws = { workspace: "default" };

interface ApiSeed {
  name: string;
  title: string;
  summary?: string;
  description?: string;
  contact?: string;
  /** `METHOD /path` or `METHOD /path | summary` */
  ops: string[];
}

const INVENTORY: ApiSeed[] = [
  { name: "identity", title: "Identity Platform", summary: "Sign-in, users and groups", ops: ["GET /users", "POST /users | Invite a user", "GET /users/{userId}", "POST /oauth/token | Issue an OAuth access token", "GET /groups", "GET /health"] },
  { name: "crm", title: "Customer Relationship", description: "Customers, contacts and the sales team's accounts.", ops: ["GET /customers", "GET /customers/{id}", "GET /contacts", "GET /users | CRM seats", "GET /users/{id}"] },
  { name: "helpdesk", title: "Helpdesk", summary: "Support tickets", ops: ["GET /tickets", "POST /tickets", "GET /users", "POST /webhooks | Subscribe to ticket events"] },
  { name: "forum", title: "Community Forum", ops: ["GET /topics", "GET /posts", "GET /users"] },
  { name: "chat", title: "Team Chat", description: "Channels and direct messages for teams.", ops: ["GET /channels", "POST /channels/{id}/messages", "GET /users"] },
  { name: "learning", title: "Learning Portal", ops: ["GET /courses", "POST /enrollments", "GET /users"] },
  { name: "legacy-portal", title: "Legacy Portal", description: "The old portal, still in use.", ops: ["GET /api/v2/users", "GET /api/v2/accounts"] },
  { name: "git-hosting", title: "Code Hosting", ops: ["GET /repos/{owner}/{repo}", "GET /orgs/{org}/users", "GET /orgs/{org}/repos"] },
  { name: "notifications", title: "Notifications", summary: "Push and in-app notifications", ops: ["POST /notifications", "GET /users/{id}/preferences", "POST /webhooks | Register a webhook"] },
  {
    name: "endpoint-registry",
    title: "Endpoint Registry",
    description: "This service exposes every endpoint of every service: which endpoint is up, which service exposes which endpoint, endpoint owners. Endpoints, endpoints, endpoints.",
    ops: ["GET /endpoints", "GET /endpoints/{id}", "GET /services"],
  },
  { name: "service-mesh", title: "Service Mesh Gateway", description: "Exposes services through managed endpoints; the API that exposes APIs.", ops: ["GET /routes", "POST /routes"] },
  { name: "user-analytics", title: "User Analytics", description: "Usage analytics about users: active users, user retention, users per country.", ops: ["GET /metrics/active", "GET /retention"] },
  { name: "payments", title: "Payments", summary: "Card payments and refunds", contact: "Payments Team", ops: ["POST /payments", "GET /payments/{id}", "POST /refunds | Refund a payment", "GET /health"] },
  { name: "billing", title: "Billing", summary: "Invoices and subscriptions", ops: ["GET /invoices", "GET /invoices/{id}/pdf", "GET /subscriptions"] },
  { name: "orders", title: "Orders", summary: "Place and track orders", ops: ["POST /orders", "GET /orders/{orderId}", "GET /orders/{orderId}/items", "GET /health"] },
  { name: "shipping", title: "Shipping", ops: ["POST /shipments", "POST /labels | Print a shipping label", "GET /tracking/{number}", "GET /health"] },
  { name: "inventory", title: "Inventory", description: "Stock levels per warehouse.", ops: ["GET /stock", "GET /stock/{sku}", "GET /warehouses", "GET /health"] },
  { name: "catalog", title: "Product Catalog", ops: ["GET /products", "GET /products/search | Search products by keyword", "GET /categories"] },
  { name: "search-service", title: "Full-text Search Service", description: "Indexes documents and answers queries.", ops: ["POST /indexes", "POST /query"] },
  { name: "weather", title: "Weather", ops: ["GET /forecast | Weather forecast for a location", "GET /current"] },
  { name: "maps", title: "Maps", ops: ["GET /geocode | Geocode an address", "GET /reverse-geocode", "GET /directions"] },
  { name: "translation", title: "Translator", ops: ["POST /translate | Translate text between languages", "GET /languages"] },
  { name: "sms", title: "Messaging", summary: "Text messages", ops: ["POST /sms | Send an SMS message", "GET /numbers"] },
  { name: "email", title: "Email Delivery", ops: ["POST /emails/send | Send an email", "GET /bounces"] },
  { name: "storage", title: "Object Storage", ops: ["POST /files | Upload a file", "GET /files/{id}", "GET /buckets"] },
  { name: "video", title: "Video Platform", ops: ["POST /uploads | Upload a video", "GET /videos/{id}"] },
  { name: "petstore", title: "Swagger Petstore", ops: ["GET /pets", "POST /pets", "GET /pets/{petId}"] },
  { name: "currency", title: "FX", summary: "Exchange rates", ops: ["GET /rates", "GET /rates/{base}"] },
  { name: "calendar", title: "Calendar", ops: ["GET /calendars", "GET /calendars/{id}/events | List calendar events"] },
  { name: "audit-log", title: "Audit Log", ops: ["GET /events", "GET /events/{id}"] },
  { name: "feature-flags", title: "Feature Flags", ops: ["GET /flags", "PUT /flags/{key}"] },
  { name: "recommendations", title: "Recommendations", description: "Product recommendations for each shopper.", ops: ["GET /recommendations/{customerId}"] },
];

function spec(seed: ApiSeed): string {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of seed.ops) {
    const [head, summary] = op.split(" | ");
    const [method, path] = head!.split(" ");
    const id = `${method!.toLowerCase()}${path!.replace(/\{[^}]+\}/g, "").split(/[/-]/).filter(Boolean).map((s) => s[0]!.toUpperCase() + s.slice(1)).join("")}`;
    (paths[path!] ??= {})[method!.toLowerCase()] = { operationId: id, ...(summary ? { summary } : {}), responses: { "200": { description: "ok" } } };
  }
  return JSON.stringify({ openapi: "3.0.3", info: { title: seed.title, version: "1.0.0" }, paths });
}

/** Questions, and the APIs that must fill the top of the answer (in any order among themselves). */
const QUESTIONS: Array<[string, string[]]> = [
  ["which APIs expose a /users endpoint", ["identity", "crm", "helpdesk", "forum", "chat", "learning", "legacy-portal"]],
  ["Which APIs expose /users/{id}?", ["identity", "crm"]],
  ["Find APIs that handle refunds", ["payments"]],
  ["which service sends SMS messages", ["sms"]],
  ["weather forecast API", ["weather"]],
  ["which endpoint lets me upload files?", ["storage"]],
  ["APIs that print shipping labels", ["shipping"]],
  ["which APIs expose GET /orders/{orderId}/items", ["orders"]],
  ["what API issues OAuth tokens", ["identity"]],
  ["stock levels per warehouse", ["inventory"]],
  ["which services provide invoice endpoints", ["billing"]],
  ["who owns the payments API", ["payments"]],
  ["createRefund", ["payments"]],
  ["which APIs expose webhooks", ["helpdesk", "notifications"]],
  ["/pets", ["petstore"]],
  ["search products by keyword", ["catalog"]],
  ["Which API can I use to geocode an address?", ["maps"]],
  ["translate text between languages", ["translation"]],
  ["which APIs have a health check endpoint", ["identity", "payments", "orders", "shipping", "inventory"]],
  ["exchange rates service", ["currency"]],
  ["which endpoints list calendar events", ["calendar"]],
  ["which service exposes an endpoint to send emails", ["email"]],
  ["Which APIs offer an operation to list customers?", ["crm"]],
  ["is there a service that exposes product recommendations", ["recommendations"]],
];

describe("search ranking over phrased questions", () => {
  let d: ReturnType<typeof domainOnLocal>;
  before(async () => {
    d = domainOnLocal();
    for (const seed of INVENTORY) {
      await d.curation.registerApi({
        ...ws,
        apiName: seed.name,
        title: seed.title,
        ...(seed.summary ? { summary: seed.summary } : {}),
        ...(seed.description ? { description: seed.description } : {}),
        ...(seed.contact ? { contacts: [{ name: seed.contact }] } : {}),
        spec: { content: spec(seed) },
      });
    }
  });
  after(() => d.close());

  for (const [question, expected] of QUESTIONS) {
    test(`"${question}" ranks ${expected.join(", ")} first`, async () => {
      const r = await d.intelligence.search({ ...ws, query: question, limit: 10 });
      const top = r.results.slice(0, expected.length).map((x) => x.name);
      assert.deepEqual([...top].sort(), [...expected].sort(), r.results.map((x) => `${x.name} ${x.score} [${x.matched?.join("; ")}]`).join("\n"));
    });
  }

  test("a path asked for ranks exact paths, then paths under a base path, above sub-paths and words alone", async () => {
    const r = await d.intelligence.search({ ...ws, query: "which APIs expose a /users endpoint", limit: 20 });
    const names = r.results.map((x) => x.name);
    const at = (n: string) => names.indexOf(n);
    assert.ok(at("legacy-portal") < at("notifications") && at("notifications") < at("git-hosting"), names.join(", "));
    assert.ok(at("git-hosting") < at("user-analytics"), `a /users sub-path outranks a description about users: ${names.join(", ")}`);
    assert.ok(!names.includes("endpoint-registry") && !names.includes("service-mesh"), "filler words alone never make a hit");
    assert.ok(r.results[0]!.matched!.some((m) => /^operation GET (\/api\/v2)?\/users/.test(m)), JSON.stringify(r.results[0]));
  });

  test("a question of nothing but filler is taken at its word", async () => {
    const r = await d.intelligence.search({ ...ws, query: "endpoints", limit: 3 });
    assert.equal(r.results[0]?.name, "endpoint-registry");
  });
});
