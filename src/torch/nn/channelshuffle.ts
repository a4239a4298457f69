// ChannelShuffle (torch/nn/modules/channelshuffle.py).
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Splits the channels of (N, C, *) into `groups` groups and interleaves them (torch.nn.ChannelShuffle),
 * as in ShuffleNet: (N, g·k, *) is viewed as (N, g, k, *), transposed to (N, k, g, *) and flattened back.
 *
 * Args: groups.
 */
export class ChannelShuffle extends Module {
  readonly groups: number;
  constructor(...args: ArgsOf<"torch.nn.ChannelShuffle">) {
    super();
    this.groups = bind("torch.nn.ChannelShuffle", args).groups;
  }
  override forward(...args: ArgsOf<"torch.nn.ChannelShuffle.forward">): Tensor {
    return F.channelShuffle(bind("torch.nn.ChannelShuffle.forward", args).input, this.groups);
  }
  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
