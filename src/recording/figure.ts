// Figures are SVG strings (what JS plotting libraries emit) rasterised with resvg, or ready PNG
// bytes. resvg is loaded on first use so recording without figures never loads its binary.
import { createRequire } from "node:module";
import { isPng } from "./png.js";
import { describe } from "./values.js";

/** An SVG document as a string, or PNG file bytes. */
export type FigureInput = string | Uint8Array;

interface ResvgModule {
  Resvg: new (svg: string | Uint8Array, options?: object) => { render(): { asPng(): Buffer } };
}

let resvg: ResvgModule | null = null;

export function figureToPng(figure: unknown): Buffer {
  if (typeof figure === "string") {
    if (!/^\s*(<\?xml[\s\S]*?\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(figure)) {
      throw new Error("Figure string must be an SVG document starting with '<svg'");
    }
    resvg ??= createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule;
    try {
      return new resvg.Resvg(figure, { background: "white", font: { loadSystemFonts: true } }).render().asPng();
    } catch (error) {
      throw new Error(`Figure SVG could not be rendered: ${(error as Error).message}`);
    }
  }
  if (figure instanceof Uint8Array) {
    if (!isPng(figure)) throw new Error("Figure bytes must be a PNG file");
    return Buffer.from(figure.buffer, figure.byteOffset, figure.length);
  }
  throw new Error(`Figure must be an SVG string or a PNG buffer, got '${describe(figure)}'.`);
}
