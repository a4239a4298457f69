// The `board` subcommand: `pystematic board [dirs ...] [--port 6006] [--host 127.0.0.1]`.
import { Command, InvalidArgumentError } from "commander";
import { startBoard } from "./server.js";

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InvalidArgumentError("a port number 0..65535.");
  return port;
}

/** Runs the subcommand with the arguments after `board`; resolves once the server is listening. */
export async function boardCommand(argv: readonly string[]): Promise<void> {
  const program = new Command("pystematic board")
    .description("Shows the runs under the given folders (default ./output) in a browser.")
    .argument("[dirs...]", "folders holding run directories", ["./output"])
    .option("--port <port>", "port to listen on (0 picks a free one)", portNumber, 6006)
    .option("--host <host>", "address to bind; anything else than 127.0.0.1 lets other machines read your runs", "127.0.0.1")
    .exitOverride((error) => process.exit(error.exitCode))
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.parse([...argv], { from: "user" });
  const dirs = program.processedArgs[0] as string[];
  const { port, host } = program.opts<{ port: number; host: string }>();
  let board;
  try {
    board = await startBoard({ dirs, port, host });
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message.replace(/^startBoard\(\): /, "")}\n`);
    process.exit(2);
  }
  process.stdout.write(`pystematic board: ${board.url} (showing ${dirs.join(", ")}; Ctrl+C stops it)\n`);
}
