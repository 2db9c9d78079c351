import { chmod } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { TradeloomError } from "@tradeloom/types";
import type { CommandRun } from "../io";
import { writeFileAtomic } from "../fs-util";

const HELP = `Usage: tradeloom kite-login --api-key KEY [--request-token TOKEN] [options]

Zerodha Kite's login is a browser step followed by a token exchange:
  1. tradeloom kite-login --api-key KEY            prints the login URL; log in there
  2. Kite redirects to your app's URL with ?request_token=...
  3. tradeloom kite-login --api-key KEY --request-token TOKEN
                                                   exchanges it for an access token (valid until ~6 am IST)

Options:
  --api-key KEY        Kite Connect app key (or KITE_API_KEY)
  --api-secret SECRET  app secret (or KITE_API_SECRET; prefer the variable: flags show in process lists)
  --request-token T    the request_token from the redirect
  --out FILE           write {"api_key","access_token","user_id"} to FILE (mode 600) instead of printing the token
  --base-url URL       Kite API root (default https://api.kite.trade)
`;

/** `tradeloom kite-login`: the Kite request-token → access-token exchange. */
export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      "api-key": { type: "string" },
      "api-secret": { type: "string" },
      "request-token": { type: "string" },
      out: { type: "string" },
      "base-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const apiKey = values["api-key"] ?? io.env["KITE_API_KEY"];
  if (!apiKey) throw new TradeloomError("USAGE", "--api-key (or KITE_API_KEY) is required");
  const { kiteLoginUrl, createKiteSession } = await import("@tradeloom/exchanges");
  const requestToken = values["request-token"];
  if (!requestToken) {
    io.stdout.write(`Log in at:\n  ${kiteLoginUrl(apiKey)}\nthen run again with --request-token <request_token from the redirect URL>.\n`);
    return 0;
  }
  const apiSecret = values["api-secret"] ?? io.env["KITE_API_SECRET"];
  if (!apiSecret) throw new TradeloomError("USAGE", "--api-secret (or KITE_API_SECRET) is required to exchange a request token");
  const session = await createKiteSession({ apiKey, apiSecret, requestToken, ...(values["base-url"] ? { baseUrl: values["base-url"] } : {}) });
  if (values.out) {
    const file = resolve(io.cwd, values.out);
    await writeFileAtomic(file, `${JSON.stringify({ api_key: apiKey, access_token: session.accessToken, user_id: session.userId ?? null }, null, 2)}\n`);
    await chmod(file, 0o600);
    io.stdout.write(`Access token for ${session.userId ?? "your account"} written to ${values.out}\n`);
  } else {
    io.stdout.write(`${session.accessToken}\n`);
  }
  return 0;
};
