import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A bare HTTP server on a free 127.0.0.1 port, for answers the emulator cannot give. */
export interface RawServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request path seen, in order. */
  readonly paths: string[];
  /** Stops the server and its sockets. */
  close(): Promise<void>;
}

/** Starts a server that answers every request with `handler`. */
export async function startRawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RawServer> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What an endless answer did: how many bytes it wrote, and whether the client hung up. */
export interface EndlessBody {
  bytesWritten: number;
  /** Resolves when the client closed the connection. */
  readonly closed: Promise<void>;
}

/**
 * Answers `status` with a body that never ends (64 KiB chunks, as fast as the socket drains) until
 * the client closes the connection. A client that buffers without a cap never returns.
 */
export function endlessBody(res: ServerResponse, status: number, contentType = "application/json"): EndlessBody {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let onClose: () => void = () => undefined;
  const state: EndlessBody = { bytesWritten: 0, closed: new Promise<void>((resolve) => (onClose = resolve)) };
  res.writeHead(status, { "content-type": contentType });
  res.write("[");
  const pump = (): void => {
    while (!res.destroyed) {
      state.bytesWritten += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
  };
  res.on("close", onClose);
  pump();
  return state;
}
