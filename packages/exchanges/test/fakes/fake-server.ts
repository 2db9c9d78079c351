import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** What a route answers: JSON (`json`) or raw text with a content type. */
export type Reply =
  | { readonly status?: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status?: number; readonly text: string; readonly contentType: string; readonly headers?: Record<string, string> };

/**
 * A fault injected in place of a route's answer.
 * - `status`: an HTTP error with a body;
 * - `malformed`: 200 with broken JSON;
 * - `drop`: headers and half a body, then the socket is destroyed;
 * - `hang`: no answer at all, so the client times out.
 * With `after: true` the route runs first (an order gets booked) and the fault replaces its answer: the ambiguous case.
 */
export type Fault = (
  | { readonly kind: "status"; readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly kind: "malformed" }
  | { readonly kind: "drop" }
  | { readonly kind: "hang" }
) & { readonly after?: boolean };

/** A local HTTP server on 127.0.0.1, port 0, with a request log and fault injection by path prefix. */
export class FakeServer {
  readonly requests: SeenRequest[] = [];
  readonly #server: Server;
  readonly #faults: Array<{ prefix: string; fault: Fault; left: number }> = [];
  #url = "";

  private constructor(route: (req: SeenRequest) => Reply) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const u = new URL(req.url ?? "/", "http://x");
        const seen: SeenRequest = { method: req.method ?? "GET", path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(seen);
        const slot = this.#faults.find((f) => seen.path.startsWith(f.prefix) && f.left > 0);
        if (slot) slot.left -= 1;
        const fault = slot?.fault;
        if (fault && !fault.after) return this.#fail(res, fault);
        let reply: Reply;
        try {
          reply = route(seen);
        } catch (e) {
          reply = { status: 500, json: { error: String(e) } };
        }
        if (fault) return this.#fail(res, fault);
        const headers = { ...reply.headers };
        if ("json" in reply) {
          res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...headers });
          res.end(JSON.stringify(reply.json));
        } else {
          res.writeHead(reply.status ?? 200, { "content-type": reply.contentType, ...headers });
          res.end(reply.text);
        }
      });
    });
  }

  /** Starts a fake answering with `route`. */
  static async start(route: (req: SeenRequest) => Reply): Promise<FakeServer> {
    const fake = new FakeServer(route);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.#url;
  }

  /** Makes the next `times` requests whose path starts with `prefix` fail with `fault`. */
  inject(prefix: string, fault: Fault, times = 1): void {
    this.#faults.push({ prefix, fault, left: times });
  }

  /** Requests seen on `path`. */
  seen(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #fail(res: ServerResponse, fault: Fault): void {
    switch (fault.kind) {
      case "status":
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        res.end(fault.body);
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"orders": [{"id": ');
        return;
      case "drop":
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('[{"partial": tr');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      case "hang":
        return;
    }
  }
}

/**
 * An exchange faked on a {@link FakeServer}: the server's lifecycle, shared by the fakes; each fake answers requests
 * in the wire format of its exchange ({@link FakeExchange.route}).
 */
export abstract class FakeExchange {
  protected constructor(readonly server: FakeServer) {}

  /**
   * Starts a server whose requests the exchange `make` builds on it answers (the exchange needs the server, the
   * server its router).
   */
  protected static async serve<T extends FakeExchange>(make: (server: FakeServer) => T): Promise<T> {
    let self: T | undefined;
    const server = await FakeServer.start((req) => self!.route(req));
    self = make(server);
    return self;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The answer to one request. */
  abstract route(req: SeenRequest): Reply;
}
