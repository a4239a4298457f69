// Public entry point `pystematic/fifteen`: fifteen's Experiment class.
export {};
