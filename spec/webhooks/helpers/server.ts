import { createServer, type RequestListener, type Server } from "node:http";

/** A listening node:http server on 127.0.0.1 with a free port, and how to stop it. */
export interface TestServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Starts `server` (or a server around `listener`) on 127.0.0.1:0. */
export async function listen(serverOrListener: Server | RequestListener): Promise<TestServer> {
  const server = typeof serverOrListener === "function" ? createServer(serverOrListener) : serverOrListener;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server is not listening on TCP");
  const port = address.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
