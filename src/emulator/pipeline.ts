/**
 * The pipeline every request crosses before a provider's handler runs: an ordered list of steps,
 * each of which may answer on its own or call `next()` and adjust what comes back (headers on every
 * answer, say). The steps here are the ones ARM itself applies in front of a resource provider.
 */
import type { Call, Route, Router } from "./router.js";
import { fail, type EmulatorRequest, type EmulatorResponse } from "./wire.js";
import { clip } from "../arm/text.js";

/** A request on its way through the pipeline; the routing step records where it goes. */
export class Exchange implements Call {
  private parsedUrl: URL | undefined;
  private foundRoute: Route | undefined;

  constructor(readonly req: EmulatorRequest) {}

  /** Parsed on first use, so that steps before routing answer even for a URL that does not parse. */
  get url(): URL {
    return (this.parsedUrl ??= new URL(this.req.url));
  }

  get method(): string {
    return this.req.method.toUpperCase();
  }

  get route(): Route {
    if (!this.foundRoute) throw new Error("a pipeline step read the route before the routing step set it");
    return this.foundRoute;
  }

  set route(route: Route) {
    this.foundRoute = route;
  }
}

export type Step = (ex: Exchange, next: () => Promise<EmulatorResponse>) => Promise<EmulatorResponse>;

/** Runs the steps in order, then the handler the routing step chose. */
export function pipeline(steps: readonly Step[]): (req: EmulatorRequest) => Promise<EmulatorResponse> {
  return (req) => {
    const ex = new Exchange(req);
    const run = (i: number): Promise<EmulatorResponse> => {
      const step = steps[i];
      return step ? step(ex, () => run(i + 1)) : ex.route.handler(ex);
    };
    return run(0);
  };
}

/** A fault in the emulator answers 500 in the ARM envelope instead of dropping the request. */
export const answerFaults: Step = async (_ex, next) => {
  try {
    return await next();
  } catch (e) {
    return fail(500, "InternalServerError", `the local API Center failed: ${(e as Error).message}`);
  }
};

/** Any bearer token is accepted; what is checked is that ARM clients send one. */
export const requireBearer: Step = async (ex, next) => {
  const auth = ex.req.headers.authorization;
  if (!auth || !/^bearer\s+\S+/i.test(auth)) {
    return fail(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or is not a bearer token.");
  }
  return next();
};

export function routeWith(router: Router): Step {
  return async (ex, next) => {
    const route = router.resolve(ex.url);
    if (!route) return router.unknownResourceType(ex.url);
    ex.route = route;
    return next();
  };
}

/** The api-versions the routed provider serves; it comes after routing because each provider has its own. */
export const requireApiVersion: Step = async (ex, next) => {
  const supported = ex.route.provider.apiVersions;
  const v = ex.url.searchParams.get("api-version");
  if (!v) {
    return fail(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  if (!supported.includes(v)) {
    return fail(400, "InvalidApiVersionParameter", `The api-version '${clip(v)}' is invalid. The supported versions are '${supported.join("', '")}'.`);
  }
  return next();
};
