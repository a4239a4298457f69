// Image layouts, batches, dtypes and figures, checked by decoding the PNGs independently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodePng } from "../src/recording/png.js";
import { imageToPng } from "../src/recording/image.js";
import { figureToPng } from "../src/recording/figure.js";
import { decodePng } from "./fixtures/recording/wire.js";

const tensor = (shape: number[], data: ArrayLike<number>, dtype: string) => ({
  shape,
  dtype,
  toTypedArray: () => data,
});

test("encodePng writes grey, RGB and RGBA images that decode to the same bytes", () => {
  for (const channels of [1, 2, 3, 4] as const) {
    const width = 5, height = 3;
    const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) & 0xff);
    const png = decodePng(encodePng(pixels, width, height, channels));
    assert.deepEqual([png.width, png.height, png.channels], [width, height, channels]);
    assert.deepEqual([...png.pixels], [...pixels]);
  }
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2, 1), /PNG: expected 4 bytes for 2x2x1, got 5/);
});

test("CHW is the default for 3 dims; HWC on request; HW is grey; uint8 is kept as is", () => {
  // 2x2 RGB, uint8, CHW: channel c holds 10*c + index
  const chw = Uint8Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  const fromChw = decodePng(imageToPng(tensor([3, 2, 2], chw, "uint8")).png);
  assert.deepEqual([...fromChw.pixels], [0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23]);
  const hwc = Uint8Array.from([0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23]);
  const fromHwc = decodePng(imageToPng({ data: hwc, shape: [2, 2, 3] }, { dataformats: "HWC" }).png);
  assert.deepEqual([...fromHwc.pixels], [...fromChw.pixels]);
  const grey = decodePng(imageToPng([[0, 0.5], [1, 2]]).png);
  assert.equal(grey.channels, 1);
  assert.deepEqual([...grey.pixels], [0, 127, 255, 255]);
  const rgba = decodePng(imageToPng(tensor([1, 1, 4], new Float32Array([1, 0, -1, 0.5]), "float32"), { dataformats: "HWC" }).png);
  assert.deepEqual([rgba.channels, ...rgba.pixels], [4, 255, 0, 0, 127]);
});

test("a batch becomes a grid of 8 per row, empty cells black", () => {
  // NCHW: 10 grey 1x2 images, image n has value n (uint8)
  const data = Uint8Array.from({ length: 20 }, (_, i) => Math.floor(i / 2) * 20);
  const png = decodePng(imageToPng(tensor([10, 1, 1, 2], data, "uint8")).png);
  assert.deepEqual([png.width, png.height, png.channels], [16, 2, 1]);
  const row0 = [...png.pixels.subarray(0, 16)], row1 = [...png.pixels.subarray(16, 32)];
  assert.deepEqual(row0, [0, 0, 20, 20, 40, 40, 60, 60, 80, 80, 100, 100, 120, 120, 140, 140]);
  assert.deepEqual(row1, [160, 160, 180, 180, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const nhwc = decodePng(imageToPng({ data: new Float64Array([1, 0, 0, 0, 1, 0]), shape: [2, 1, 1, 3] }, { dataformats: "NHWC" }).png);
  assert.deepEqual([...nhwc.pixels], [255, 0, 0, 0, 255, 0]);
});

test("bad image shapes and inputs give clear errors", () => {
  assert.throws(() => imageToPng({ data: new Uint8Array(28 * 28), shape: [28, 28, 1] }), /Invalid image shape '\[28, 28, 1\]' for dataformats 'CHW': channels must be 1, 3 or 4/);
  assert.throws(() => imageToPng({ data: new Uint8Array(4), shape: [4] }), /Invalid image shape '\[4\]': expected HW/);
  assert.throws(() => imageToPng({ data: new Uint8Array(4), shape: [2, 3] }), /shape \[2, 3\] does not match 4 elements/);
  assert.throws(() => imageToPng([[1, 2], [3]]), /nested arrays must be rectangular/);
  assert.throws(() => imageToPng("x" as never), /Image must be a tensor, a TypedArray, \{data, shape\} or nested arrays of numbers, got 'string'/);
});

test("figures: SVG is rasterised to a PNG of its size; PNG bytes pass through", () => {
  const svg = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">` +
    `<rect x="0" y="0" width="20" height="20" fill="#ff0000"/><rect x="20" y="0" width="20" height="20" fill="#0000ff"/></svg>`;
  const png = decodePng(figureToPng(svg));
  assert.deepEqual([png.width, png.height], [40, 20]);
  const at = (x: number, y: number) => [...png.pixels.subarray((y * 40 + x) * png.channels, (y * 40 + x) * png.channels + 3)];
  assert.deepEqual(at(5, 10), [255, 0, 0]);
  assert.deepEqual(at(35, 10), [0, 0, 255]);
  const ready = encodePng(new Uint8Array(3), 1, 1, 3);
  assert.deepEqual(figureToPng(ready), ready);
  assert.throws(() => figureToPng({}), /Figure must be an SVG string or a PNG buffer, got 'Object'\./);
  assert.throws(() => figureToPng("hello"), /Figure string must be an SVG document/);
  assert.throws(() => figureToPng("<svg><rect></svg>"), /Figure SVG could not be rendered: /);
  assert.throws(() => figureToPng(new Uint8Array([1, 2, 3])), /Figure bytes must be a PNG file/);
});
