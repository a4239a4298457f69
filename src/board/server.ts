// The board's HTTP server (node:http): the single-page UI, uPlot from node_modules, and a
// read-only JSON/binary API over the runs. Files are served only from the UI folder and uPlot's
// dist folder by exact name; run data only by run id, so no request path reaches the file system.
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BoardState } from "./board-state.js";

export interface BoardOptions {
  /** Folders holding run directories (default ["./output"]). */
  dirs?: readonly string[];
  /** Port to listen on; 0 picks a free one (default 6006). */
  port?: number;
  /** Address to bind (default 127.0.0.1: only this machine can connect). */
  host?: string;
}

/** A started board. */
export interface Board {
  /** The address to open, e.g. `http://127.0.0.1:6006/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
// From dist/board the UI sources are found in the package's src/board/ui.
const UI_DIR = [path.join(here, "ui"), path.join(here, "..", "..", "src", "board", "ui")].find((dir) =>
  fs.existsSync(path.join(dir, "index.html")),
);
const UPLOT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve("uplot")));
const VENDOR: Record<string, string> = {
  "uplot.esm.js": path.join(UPLOT_DIR, "uPlot.esm.js"),
  "uplot.min.css": path.join(UPLOT_DIR, "uPlot.min.css"),
};
const UI_FILE = /^[a-z0-9-]+\.(?:js|css|html|svg)$/;
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
};
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/**
 * Starts the board: a local web server showing the runs under `dirs`.
 *
 * @example
 * const board = await startBoard({ dirs: ["output"], port: 0 });
 * console.log(board.url);
 * await board.close();
 */
export async function startBoard(options: BoardOptions = {}): Promise<Board> {
  const dirs = options.dirs && options.dirs.length > 0 ? options.dirs : ["./output"];
  for (const dir of dirs) {
    if (typeof dir !== "string" || dir.length === 0) throw new Error(`startBoard(): dirs must be folder paths, got ${JSON.stringify(dir)}`);
    let isDir = false;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new Error(`startBoard(): '${dir}' is not a folder`);
  }
  const port = options.port ?? 6006;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`startBoard(): port must be an integer in 0..65535, got ${String(port)}`);
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host.length === 0) throw new Error(`startBoard(): host must be an address, got ${JSON.stringify(host)}`);
  if (UI_DIR === undefined) throw new Error(`startBoard(): the board's UI files are missing (looked in ${here})`);
  const state = new BoardState(dirs.map((d) => fs.realpathSync(d)));
  const server = http.createServer((request, response) => {
    try {
      handle(state, host, request, response);
    } catch (error) {
      send(response, 500, "text/plain; charset=utf-8", `board: ${(error as Error).message}`);
    }
  });
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address !== null ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${boundPort}/`,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function handle(state: BoardState, host: string, request: http.IncomingMessage, response: http.ServerResponse): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, 405, "text/plain; charset=utf-8", "board: read only");
    return;
  }
  if (!allowedHost(request.headers.host, host)) {
    // A page on another site naming this server by a DNS name it controls (DNS rebinding).
    send(response, 403, "text/plain; charset=utf-8", "board: unexpected Host header");
    return;
  }
  const url = new URL(request.url ?? "/", "http://board.invalid");
  const route = url.pathname;
  if (route === "/" || route === "/index.html") return sendFile(response, path.join(UI_DIR!, "index.html"));
  if (route.startsWith("/ui/")) {
    const name = route.slice(4);
    if (!UI_FILE.test(name)) return notFound(response);
    return sendFile(response, path.join(UI_DIR!, name));
  }
  if (route.startsWith("/vendor/")) {
    const file = VENDOR[route.slice(8)];
    return file === undefined ? notFound(response) : sendFile(response, file);
  }
  if (route === "/api/runs") return sendJson(response, { roots: state.roots, runs: state.summaries() });
  if (route.startsWith("/api/")) return apiRun(state, route.slice(5), url.searchParams, response);
  notFound(response);
}

function apiRun(state: BoardState, what: string, query: URLSearchParams, response: http.ServerResponse): void {
  const run = state.run(query.get("run") ?? "");
  const tag = query.get("tag") ?? "";
  if (run === undefined) return notFound(response, "no such run");
  switch (what) {
    case "scalars": {
      const points = run.scalars(tag);
      if (points === undefined) return notFound(response, "no such tag");
      const n = points.steps.length;
      // [n, steps..., wall times..., values...] as little-endian float64.
      const body = new Float64Array(1 + 3 * n);
      body[0] = n;
      body.set(points.steps, 1);
      body.set(points.wallTimes, 1 + n);
      body.set(points.values, 1 + 2 * n);
      return send(response, 200, "application/octet-stream", Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    }
    case "images": {
      const images = run.images(tag);
      if (images === undefined) return notFound(response, "no such tag");
      return sendJson(response, images.map(({ step, wallTime, width, height }) => ({ step, wallTime, width, height })));
    }
    case "image": {
      const images = run.images(tag);
      const index = Number(query.get("index"));
      const image = images !== undefined && Number.isInteger(index) ? images[index] : undefined;
      if (image === undefined) return notFound(response, "no such image");
      return send(response, 200, "image/png", Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength));
    }
    case "histograms": {
      const histograms = run.histograms(tag);
      return histograms === undefined ? notFound(response, "no such tag") : sendJson(response, histograms);
    }
    case "texts": {
      const texts = run.texts(tag);
      return texts === undefined ? notFound(response, "no such tag") : sendJson(response, texts);
    }
    default:
      return notFound(response);
  }
}

function allowedHost(header: string | undefined, bound: string): boolean {
  if (header === undefined) return false;
  const name = header.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (name === "localhost" || name === "127.0.0.1" || name === "::1" || name === bound.toLowerCase()) return true;
  // Bound to every address: any address literal of this machine, still no DNS names.
  return (bound === "0.0.0.0" || bound === "::") && /^[0-9a-f.:]+$/.test(name);
}

function sendFile(response: http.ServerResponse, file: string): void {
  let body: Buffer;
  try {
    body = fs.readFileSync(file);
  } catch {
    return notFound(response);
  }
  send(response, 200, TYPES[path.extname(file)] ?? "application/octet-stream", body);
}

function sendJson(response: http.ServerResponse, value: unknown): void {
  send(response, 200, "application/json; charset=utf-8", JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));
}

function notFound(response: http.ServerResponse, why = "not found"): void {
  send(response, 404, "text/plain; charset=utf-8", `board: ${why}`);
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(response.req.method === "HEAD" ? undefined : body);
}
