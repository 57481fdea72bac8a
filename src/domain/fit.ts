/**
 * Making values the caller did not write themselves (taken from a spec, or made up from other
 * fields) fit the service's rules, so a registration never fails over a spec's 63-character version
 * string. The limits are read from the wire models, the one place that states them; every change
 * made is said in a note.
 */
import type { z } from "zod";
import { ApiDefinitionProperties, ApiProperties, ApiVersionProperties, Contact, DeploymentProperties, ExternalDocumentation, License, TermsOfService } from "../arm/models.js";
import type { SpecInfo } from "./specs/spec-doc.js";

/** The longest string a model's field accepts (optional and nullable wrappers looked through). */
function maxLength(schema: z.ZodType): number {
  let s = schema as unknown as { maxLength?: number | null; unwrap?: () => unknown };
  while (s.maxLength === undefined && typeof s.unwrap === "function") s = s.unwrap() as typeof s;
  return s.maxLength ?? Number.POSITIVE_INFINITY;
}

export const LIMITS = {
  apiTitle: maxLength(ApiProperties.shape.title),
  summary: maxLength(ApiProperties.shape.summary),
  description: maxLength(ApiProperties.shape.description),
  versionTitle: maxLength(ApiVersionProperties.shape.title),
  definitionTitle: maxLength(ApiDefinitionProperties.shape.title),
  deploymentTitle: maxLength(DeploymentProperties.shape.title),
  contactName: maxLength(Contact.shape.name),
  contactEmail: maxLength(Contact.shape.email),
  contactUrl: maxLength(Contact.shape.url),
  licenseName: maxLength(License.shape.name),
  licenseUrl: maxLength(License.shape.url),
  licenseIdentifier: maxLength(License.shape.identifier),
  docsDescription: maxLength(ExternalDocumentation.shape.description),
  docsUrl: maxLength(ExternalDocumentation.shape.url),
  termsUrl: maxLength(TermsOfService.shape.url),
} as const;

/** At most `max` UTF-16 units (what the service counts), never splitting a character, ending in "…" when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

export class Fitter {
  constructor(readonly notes: string[]) {}

  /** Free text cut to `max`; `oneLine` folds line breaks and runs of spaces, as titles want. */
  text(value: string | undefined, max: number, what: string, oneLine = false): string | undefined {
    if (value === undefined) return undefined;
    const folded = oneLine ? value.replace(/\s+/g, " ").trim() : value;
    if (folded.length <= max) return folded;
    this.notes.push(`${what} cut to ${max} characters (the service's limit)`);
    return cut(folded, max);
  }

  /** A URL, address or identifier: cut it and it means something else, so one too long is left out. */
  whole(value: string | undefined, max: number, what: string): string | undefined {
    if (value === undefined || value.length <= max) return value;
    this.notes.push(`${what} left out: ${value.length} characters, the service takes at most ${max}`);
    return undefined;
  }

  contact(c: NonNullable<SpecInfo["contact"]>): { name?: string; email?: string; url?: string } | undefined {
    return compact({
      name: this.text(c.name, LIMITS.contactName, "contact name", true),
      email: this.whole(c.email, LIMITS.contactEmail, "contact email"),
      url: this.whole(c.url, LIMITS.contactUrl, "contact URL"),
    });
  }

  license(l: NonNullable<SpecInfo["license"]>): { name?: string; url?: string; identifier?: string } | undefined {
    const url = this.whole(l.url, LIMITS.licenseUrl, "license URL");
    let identifier = this.whole(l.identifier, LIMITS.licenseIdentifier, "license identifier");
    if (url && identifier) {
      this.notes.push("license identifier left out: the service takes a license URL or an identifier, not both");
      identifier = undefined;
    }
    return compact({ name: this.text(l.name, LIMITS.licenseName, "license name", true), url, identifier });
  }

  externalDocs(d: NonNullable<SpecInfo["externalDocs"]>): { url: string; description?: string } | undefined {
    const url = this.whole(d.url, LIMITS.docsUrl, "external documentation URL");
    if (!url) return undefined;
    const description = this.text(d.description, LIMITS.docsDescription, "external documentation description");
    return description ? { url, description } : { url };
  }
}

function compact<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } | undefined {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? (kept as { [K in keyof T]?: string }) : undefined;
}
