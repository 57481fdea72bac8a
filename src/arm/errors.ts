import { z } from "zod";

/** The ARM error envelope `{"error": {"code", "message", "details"?}}`. */
export const ArmErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional(),
    target: z.string().optional(),
    details: z.array(z.object({ code: z.string().optional(), message: z.string().optional() }).loose()).optional(),
  }),
});
export type ArmErrorEnvelope = z.infer<typeof ArmErrorEnvelope>;

/** Live Azure answers a missing child resource with this bare body instead of the envelope. */
export const BareErrorCode = z.object({ code: z.string(), message: z.string().optional() });

export interface ArmErrorInfo {
  code: string;
  message: string;
}

/** Reads an error body in either shape live Azure uses; null when it is neither. */
export function readArmError(body: unknown): ArmErrorInfo | null {
  const enveloped = ArmErrorEnvelope.safeParse(body);
  if (enveloped.success) {
    const { code, message, details } = enveloped.data.error;
    const detail = details?.map((d) => d.message).filter(Boolean).join("; ");
    return { code, message: [message, detail].filter(Boolean).join(": ") || code };
  }
  const bare = BareErrorCode.safeParse(body);
  if (bare.success) return { code: bare.data.code, message: bare.data.message ?? "" };
  return null;
}

export function armError(code: string, message: string): ArmErrorEnvelope {
  return { error: { code, message } };
}
