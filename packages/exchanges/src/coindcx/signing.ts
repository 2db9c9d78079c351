import { createHmac } from "node:crypto";
import { Money } from "@tradeloom/types";

/** A JSON body field value. Money goes out as a plain JSON number written with its exact decimal digits. */
export type BodyValue = string | number | boolean | Money;

/**
 * Compact JSON text of `fields` in the given key order, with `undefined` fields left out. This exact text is both
 * signed and sent, so the signature always covers the bytes the exchange receives.
 */
export function jsonBody(fields: ReadonlyArray<readonly [string, BodyValue | undefined]>): string {
  const parts: string[] = [];
  for (const [k, v] of fields) {
    if (v === undefined) continue;
    const text = v instanceof Money ? v.toString() : JSON.stringify(v);
    parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** CoinDCX request signature: lowercase hex HMAC-SHA256 of the body with the API secret as key. */
export function signCoinDcx(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("hex");
}
