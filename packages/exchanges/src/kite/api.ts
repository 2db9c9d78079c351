/**
 * The part of kiteconnect's `KiteConnect` this package calls, typed by what Kite's v3 API returns. The package's own
 * typings describe answers loosely, so the client reads every field defensively anyway.
 */
export interface KiteApi {
  generateSession(requestToken: string, apiSecret: string): Promise<unknown>;
  getInstruments(exchange: string): Promise<unknown>;
  getHistoricalData(token: number, interval: string, from: string, to: string): Promise<unknown>;
  getQuote(instruments: string[]): Promise<unknown>;
  getMargins(segment: string): Promise<unknown>;
  placeOrder(variety: string, params: Record<string, string | number>): Promise<unknown>;
  cancelOrder(variety: string, orderId: string): Promise<unknown>;
  getOrders(): Promise<unknown>;
  getOrderHistory(orderId: string): Promise<unknown>;
  getPositions(): Promise<unknown>;
}

/** Builds a kiteconnect instance, importing the package only now. */
export async function loadKite(params: { apiKey: string; accessToken?: string; root: string; timeoutMs: number }): Promise<KiteApi> {
  const { KiteConnect } = await import("kiteconnect");
  return new KiteConnect({
    api_key: params.apiKey,
    root: params.root,
    timeout: params.timeoutMs,
    ...(params.accessToken !== undefined ? { access_token: params.accessToken } : {}),
  }) as unknown as KiteApi;
}
