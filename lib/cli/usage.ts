/** The default port of `cactus emulator`, and of the emulator `cactus trigger` starts in-process. */
export const DEFAULT_EMULATOR_PORT = 12111;

/** `cactus help`. */
export const USAGE = `Usage:
  cactus trigger <type> --url <endpoint> --secret <whsec_...> [options]
      Sends a signed thin event of <type> to your endpoint, as Cactus does, and redelivers
      on any non-2xx answer with exponential backoff, printing each attempt.
      Without --api-url, it starts a Cactus API emulator in-process on --emulator-port for the
      duration of the delivery and creates a fresh event there (so your handler's pull() works
      when your app's CACTUS_API_BASE_URL points at it).
      With --api-url, it sends the event that the running emulator (\`cactus emulator\`) seeded
      for <type> (evt_<type with _>), after checking it exists.
    --url <endpoint>          where to POST (required)
    --secret <whsec_...>      the endpoint secret (default: $CACTUS_WEBHOOK_SECRET)
    --api-url <url>           a running emulator, e.g. http://127.0.0.1:${DEFAULT_EMULATOR_PORT}
    --api-key <key>           its API key (default: $CACTUS_API_KEY, else sk_test_emulator)
    --emulator-port <port>    port of the in-process emulator (default ${DEFAULT_EMULATOR_PORT}; 0 = any)
    --max-attempts <n>        attempts in all (default 5)
    --backoff-ms <ms>         delay before the first redelivery, doubled each time (default 1000)

  cactus emulator [--port <port>] [--host <host>] [--api-key <key>]
      Runs the local Cactus API (GET /v2/events/{id}, /v1/orders/{id}, /v1/movies/{id}) with
      one seeded event per type, until Ctrl-C. Default port ${DEFAULT_EMULATOR_PORT}, host 127.0.0.1.

  cactus help
`;
