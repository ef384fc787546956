import { runCli } from "../../lib/cli/main";
import { redactRedisUrl } from "../../lib/emulator/dashboard/queue-dead-letters";
import { LISTEN_USAGE } from "../../lib/cli/listen-command";
import { capture } from "./capture";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("the CLI keeps secrets out of what it prints", () => {
  it.each([
    ["redis://:topsecret@127.0.0.1:6379", "redis://***@127.0.0.1:6379"],
    ["redis://ada:top@secret@127.0.0.1:6379/0", "redis://***@127.0.0.1:6379/0"],
    ["rediss://ada:p%40ss@host", "rediss://***@host"],
    ["redis://127.0.0.1:6379", "redis://127.0.0.1:6379"],
    ["redis://host/path@not-userinfo", "redis://host/path@not-userinfo"],
  ])("masks the whole userinfo of %s", (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });

  it.each([
    [["listen", "--forward-to", "http://127.0.0.1:1/webhooks", SECRET]],
    [["dlq", "list", "extra", SECRET, "--redis", "redis://127.0.0.1:1"]],
    [["dlq", "list", "--redis", "http://ada:top@secret@127.0.0.1:1"]],
  ])("does not echo a secret given in the wrong place: %j", async (args) => {
    const { out, err, io } = capture();
    expect(await runCli(args, io)).toBe(2);
    const printed = [...out, ...err].join("\n");
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain("secret@");
  });

  it("answers an unknown option to listen with the usual usage error (exit 2), not a TypeError", async () => {
    const { out, err, io } = capture();
    expect(await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secrt", SECRET], io)).toBe(2);
    const printed = [...out, ...err].join("\n");
    expect(printed).toContain("--secrt");
    expect(printed).not.toContain("TypeError");
    expect(printed).not.toContain(SECRET);
    expect(printed).toContain("cactus listen --help");
  });

  it("recommends the environment variable for the secret in --help (a flag shows in the process list)", () => {
    expect(LISTEN_USAGE).toMatch(/CACTUS_WEBHOOK_SECRET=whsec_\.\.\. cactus listen/);
    expect(LISTEN_USAGE).toMatch(/visible to other users/);
  });
});
