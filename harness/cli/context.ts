import type { Command } from 'commander';

/** What a command module gets: output channels and the place to leave its exit code. */
export interface CliContext {
  out(line: string): void;
  err(line: string): void;
  exit(code: number): void;
}

/** Each command lives in its own module and registers itself on the program. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
