/**
 * The folders of lib/ are layers, lowest first. A module may import its own folder and any folder
 * lower in this list, never a higher one: the path an event takes reads top to bottom and nothing
 * downstream is known upstream. `npm test` runs this check (npm run check:layers).
 */
const layers = [
  ["errors"],
  ["platform"], // the runtime seam: node: built-ins on demand, Web Crypto, timers, env, async context
  ["events"],
  ["signature"], // Standard Webhooks: headers, secrets, sign, verify (no HTTP, no event types)
  ["delivery"], // idempotency stores, claim/commit, deadlines, shutdown, the path's types
  ["observability"],
  ["client"],
  ["pipeline"], // the composed path: verify -> parse -> claim -> dispatch -> commit
  ["handler"],
  ["saga"], // CactusSaga: a process per related object; its state through a store's SagaPersistence
  ["webhooks"], // HTTP shells (Node, Fetch) and the webhook sender
  ["redis", "prometheus", "otel"],
  ["bullmq", "postgres", "nestjs"],
  ["emulator"],
  ["testing"],
  ["cli"],
];

const rank = new Map(layers.flatMap((names, index) => names.map((name) => [name, index])));
const above = (index) => [...rank].filter(([, r]) => r > index).map(([name]) => name);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Two modules that import each other (directly or through others).",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    ...[...rank].map(([name, index]) => ({
      name: `layer-${name}`,
      severity: "error",
      comment: `lib/${name}/ may import only lower layers: ${layers.slice(0, index).flat().join(", ") || "none"}.`,
      from: { path: `^lib/${name}/` },
      to: { path: above(index).length ? `^lib/(${above(index).join("|")})/` : "^$" },
    })),
    {
      name: "root-only-on-top",
      severity: "error",
      comment: "Only entry points may import lib/index.ts (the public surface).",
      from: { path: "^lib/[^/]+/" },
      to: { path: "^lib/index\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
