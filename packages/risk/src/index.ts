export type { RiskLimits } from "./risk-limits";
export { RiskManager, type SizingRequest } from "./risk-manager";
