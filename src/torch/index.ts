// Public entry point `pystematic/torch`. Importing it must not load libtorch: the addon loads
// on first use of a tensor.
export {};
