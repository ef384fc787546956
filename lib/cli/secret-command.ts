import type { Command } from "commander";
import { generateWebhookSecret } from "../signature/secrets";
import type { CliCommand } from "./command";

/** `cactus secret`: prints a new random endpoint secret, `whsec_...`. */
export const secretCommand: CliCommand = {
  name: "secret",
  register(program: Command, context) {
    program
      .command("secret")
      .summary("print a new webhook signing secret (whsec_...)")
      .description("Prints a new random endpoint secret, whsec_ + 32 random bytes in base64, for tests and local endpoints.")
      .option("--json", 'print {"secret": "whsec_..."}')
      .addHelpText("after", "\nExit status: 0.")
      .action((options: { json?: boolean }) =>
        context.run(async () => {
          const secret = generateWebhookSecret();
          context.io.out(options.json === true ? JSON.stringify({ secret }) : secret);
          return 0;
        }),
      );
  },
};
