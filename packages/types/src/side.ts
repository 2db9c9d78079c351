/** Order or position side. */
export type Side = "buy" | "sell";

/** The opposite side. */
export function oppositeSide(side: Side): Side {
  return side === "buy" ? "sell" : "buy";
}

/** +1 for buy (long), −1 for sell (short). */
export function sideSign(side: Side): 1 | -1 {
  return side === "buy" ? 1 : -1;
}
