// `import "cactus-sdk"` must load neither prom-client nor OpenTelemetry: they are optional peers,
// loaded only by cactus-sdk/prometheus and cactus-sdk/otel.
const loaded: string[] = [];
jest.mock("prom-client", () => {
  loaded.push("prom-client");
  return jest.requireActual("prom-client");
});
jest.mock("@opentelemetry/api", () => {
  loaded.push("@opentelemetry/api");
  return jest.requireActual("@opentelemetry/api");
});

describe("entry points", () => {
  it("the root entry loads no metrics or tracing library; the optional entries load their own", () => {
    jest.isolateModules(() => {
      const root = jest.requireActual<typeof import("../../lib")>("../../lib");
      expect(typeof root.getEventContext).toBe("function");
    });
    expect(loaded).toEqual([]);
    jest.isolateModules(() => {
      jest.requireActual("../../lib/prometheus");
    });
    expect(loaded).toContain("prom-client");
    jest.isolateModules(() => {
      jest.requireActual("../../lib/otel");
    });
    expect(loaded).toContain("@opentelemetry/api");
  });
});
