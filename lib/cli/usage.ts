/** The default port of `cactus emulator`, and of the emulator `cactus trigger` starts in-process. */
export const DEFAULT_EMULATOR_PORT = 12111;
