/**
 * An example Tradeloom strategy pack. A pack's default export is the list of strategy definitions it provides;
 * `tradeloom backtest --strategy-pack <package or path>` (or `strategy.module` in a config) registers them.
 */
import { donchianBreakout } from "./donchian-breakout";

export { donchianBreakout, DonchianBreakout, DonchianParams } from "./donchian-breakout";

/** The strategies this pack provides. */
export const strategies = [donchianBreakout];

export default strategies;
