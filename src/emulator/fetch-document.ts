/** Fetching a document a caller named by URL (a spec link, an API import link), bounded in time and size. */

const LINK_TIMEOUT_MS = 60_000;

/** Why a link could not be read, with a code the caller's answer carries. */
export class LinkProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchDocument(link: string, maxBytes: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(link, { redirect: "follow", signal: AbortSignal.timeout(LINK_TIMEOUT_MS) });
  } catch (e) {
    throw new LinkProblem("SpecificationLinkUnreachable", `could not fetch '${link}': ${(e as Error).message}`);
  }
  if (!res.ok) {
    throw new LinkProblem("SpecificationLinkFailed", `fetching '${link}' answered HTTP ${res.status}: check the URL is public and points at the document`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new LinkProblem("SpecificationTooLarge", `'${link}' is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
