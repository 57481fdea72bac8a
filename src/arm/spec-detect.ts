/**
 * Recognises what kind of API description a document is, from its content alone: OpenAPI 2/3.x and
 * AsyncAPI (JSON or YAML), GraphQL SDL, WSDL 1.1/2.0, WADL, gRPC proto and RAML.
 * The names are the ones API Center uses in a definition's `specification.name`.
 */

export type SpecName = "openapi" | "asyncapi" | "graphql" | "wsdl" | "wadl" | "grpc" | "raml";

export interface DetectedSpec {
  name: SpecName;
  /** Absent when the format carries no version of its own (GraphQL SDL). */
  version?: string;
}

const VERSION_KEYS: ReadonlyArray<[string, SpecName]> = [
  ["openapi", "openapi"],
  ["swagger", "openapi"],
  ["asyncapi", "asyncapi"],
];

function fromTopLevel(doc: unknown): DetectedSpec | null {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return null;
  const obj = doc as Record<string, unknown>;
  for (const [key, name] of VERSION_KEYS) {
    const v = obj[key];
    if (typeof v === "string" || typeof v === "number") return { name, version: String(v) };
  }
  return null;
}

/** A YAML document's top-level key sits at column 0, so a line match is exact enough without parsing. */
const YAML_VERSION = /^(openapi|swagger|asyncapi)[ \t]*:[ \t]*["']?([0-9][\w.+-]*)["']?[ \t]*(?:#.*)?$/m;

function detectStructured(text: string): DetectedSpec | null {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      return fromTopLevel(JSON.parse(trimmed));
    } catch {
      return null;
    }
  }
  const m = YAML_VERSION.exec(text);
  if (!m) return null;
  const name = VERSION_KEYS.find(([k]) => k === m[1])![1];
  return { name, version: m[2]! };
}

function detectXml(text: string): DetectedSpec | null {
  if (!/^\s*(<\?xml|<)/.test(text)) return null;
  if (/xmlns(:\w+)?\s*=\s*["']http:\/\/www\.w3\.org\/ns\/wsdl["']/.test(text) && /<(\w+:)?description[\s>]/.test(text)) {
    return { name: "wsdl", version: "2.0" };
  }
  if (/<(\w+:)?definitions[\s>]/.test(text) && /schemas\.xmlsoap\.org\/wsdl/.test(text)) {
    return { name: "wsdl", version: "1.1" };
  }
  if (/<(\w+:)?application[\s>]/.test(text) && /wadl\.dev\.java\.net/.test(text)) {
    return { name: "wadl", version: "2009-02" };
  }
  return null;
}

function detectText(text: string): DetectedSpec | null {
  const raml = /^#%RAML[ \t]+([0-9.]+)/.exec(text);
  if (raml) return { name: "raml", version: raml[1]! };
  const proto = /^\s*syntax\s*=\s*["'](proto[23])["']\s*;/m.exec(text);
  if (proto) return { name: "grpc", version: proto[1]! };
  if (/^\s*service\s+\w+\s*\{/m.test(text) && /\brpc\s+\w+\s*\(/.test(text)) return { name: "grpc", version: "proto2" };
  if (/^\s*(type\s+(Query|Mutation|Subscription)\b|schema\s*\{|extend\s+type\s+\w+)/m.test(text)) return { name: "graphql" };
  return null;
}

/** What the document is, or null when none of the known formats matches. */
export function detectSpecification(text: string): DetectedSpec | null {
  return detectStructured(text) ?? detectXml(text) ?? detectText(text);
}
