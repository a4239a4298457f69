// Image inputs to 8-bit HWC pixels. Layouts as in tensorboardX: CHW by default for 3 dims, HW for
// 2, NCHW for 4 (a batch becomes a grid, 8 per row). uint8 data is taken as is; any other dtype is
// read as [0, 1] and scaled by 255, clipped and truncated (tensorboardX does the same).
import { toDense, type ArrayInput } from "./values.js";
import { encodePng } from "./png.js";

export type ImageDataFormat = "HW" | "HWC" | "CHW" | "NCHW" | "NHWC";

export interface ImageOptions {
  /** Layout of the image's dimensions (default: HW, CHW or NCHW by the number of dimensions). */
  dataformats?: ImageDataFormat;
}

export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

const GRID_COLUMNS = 8;
const DEFAULT_FORMAT: Record<number, ImageDataFormat> = { 2: "HW", 3: "CHW", 4: "NCHW" };

export function toPixels(image: ArrayInput, options: ImageOptions = {}): Pixels {
  const dense = toDense(image, "Image");
  const shape = dense.shape;
  const format = options.dataformats ?? DEFAULT_FORMAT[shape.length];
  if (format === undefined || format.length !== shape.length) {
    throw new Error(
      `Invalid image shape '[${shape.join(", ")}]'${format ? ` for dataformats '${format}'` : ""}: ` +
        "expected HW, CHW/HWC or NCHW/NHWC",
    );
  }
  const size = (axis: string): number => (format.includes(axis) ? shape[format.indexOf(axis)]! : 1);
  const n = size("N"), c = size("C"), h = size("H"), w = size("W");
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new Error(
      `Invalid image shape '[${shape.join(", ")}]' for dataformats '${format}': channels must be 1, 3 or 4`,
    );
  }
  if (n === 0 || h === 0 || w === 0) throw new Error(`Invalid image shape '[${shape.join(", ")}]': empty image`);
  // Row-major strides of each named axis in the input.
  const strides: Record<string, number> = {};
  let stride = 1;
  for (let i = format.length - 1; i >= 0; i--) {
    strides[format[i]!] = stride;
    stride *= shape[i]!;
  }
  const sn = strides.N ?? 0, sc = strides.C ?? 0, sh = strides.H!, sw = strides.W!;
  const columns = Math.min(GRID_COLUMNS, n);
  const rows = Math.ceil(n / columns);
  const width = w * columns, height = h * rows;
  const data = new Uint8Array(width * height * c);
  const values = dense.values;
  const scale = dense.integral8 ? 1 : 255;
  for (let img = 0; img < n; img++) {
    const x0 = (img % columns) * w, y0 = Math.floor(img / columns) * h;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const out = ((y0 + y) * width + x0 + x) * c;
        const base = img * sn + y * sh + x * sw;
        for (let ch = 0; ch < c; ch++) {
          const v = values[base + ch * sc]! * scale;
          data[out + ch] = v > 255 ? 255 : v > 0 ? v : 0; // Uint8Array stores truncate; NaN -> 0
        }
      }
    }
  }
  return { data, width, height, channels: c };
}

export function imageToPng(image: ArrayInput, options: ImageOptions = {}): { png: Buffer; pixels: Pixels } {
  const pixels = toPixels(image, options);
  return { png: encodePng(pixels.data, pixels.width, pixels.height, pixels.channels), pixels };
}
