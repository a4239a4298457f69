// The file backend (pystematic's): `scalars.csv` rows `step, tag, value`, images and figures as PNG
// files `images/<tag>-<count>.png` and `figures/<tag>-<count>.png`, tag slashes written as dots.
import path from "node:path";
import { LineFile, writeFileAtomic } from "./line-file.js";
import type { RecordBackend } from "./backend.js";

export class FileBackend implements RecordBackend {
  readonly #dir: string;
  readonly #scalars: LineFile;

  constructor(dir: string, options: { flushSecs?: number } = {}) {
    this.#dir = dir;
    this.#scalars = LineFile.forPath(path.join(dir, "scalars.csv"), { header: "step, tag, value\n", ...options });
  }

  scalar(tag: string, value: number, step: number): void {
    this.#scalars.append(`${step}, ${tag}, ${value}\n`);
  }
  image(tag: string, png: Buffer, step: number): void {
    writeFileAtomic(path.join(this.#dir, "images", pngName(tag, step)), png);
  }
  figure(tag: string, png: Buffer, step: number): void {
    writeFileAtomic(path.join(this.#dir, "figures", pngName(tag, step)), png);
  }
  histogram(): void {}
  text(): void {}
  params(): void {}
  step(): void {}
  flush(): void {
    this.#scalars.flush();
  }
  resume(): void {}
  close(): void {
    this.#scalars.close();
  }
}

export function pngName(tag: string, step: number): string {
  return `${tag.replaceAll("/", ".")}-${step}.png`;
}
