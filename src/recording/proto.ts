// The subset of TensorBoard's protos we write, with TensorBoard's own package, message names and
// field numbers (tensorboard/compat/proto/{event,summary,histogram,tensor,tensor_shape,types}.proto,
// tensorboard/plugins/hparams/{api,plugin_data}.proto, google/protobuf/struct.proto). Embedded as
// text so the build needs no file copying; protobufjs is loaded and the text parsed on first use,
// so importing `pystematic` stays fast (loading them takes ~100 ms).
import { createRequire } from "node:module";
import type * as Protobuf from "protobufjs";

const TENSORBOARD_PROTO = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
  }
}

enum DataClass {
  DATA_CLASS_UNKNOWN = 0;
  DATA_CLASS_SCALAR = 1;
  DATA_CLASS_TENSOR = 2;
  DATA_CLASS_BLOB_SEQUENCE = 3;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  DataClass data_class = 4;
}

message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      Image image = 4;
      HistogramProto histo = 5;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

enum DataType {
  DT_INVALID = 0;
  DT_FLOAT = 1;
  DT_DOUBLE = 2;
  DT_INT32 = 3;
  DT_UINT8 = 4;
  DT_INT16 = 5;
  DT_INT8 = 6;
  DT_STRING = 7;
  DT_INT64 = 9;
  DT_BOOL = 10;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
}
`;

const HPARAMS_PROTO = `
syntax = "proto3";
package tensorboard.hparams;

enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_SUCCESS = 1;
  STATUS_FAILURE = 2;
  STATUS_RUNNING = 3;
}

message HParamsPluginData {
  int32 version = 1;
  oneof data {
    SessionStartInfo session_start_info = 3;
    SessionEndInfo session_end_info = 4;
  }
}

message SessionStartInfo {
  map<string, google.protobuf.Value> hparams = 1;
  string model_uri = 2;
  string monitor_url = 3;
  string group_name = 4;
  double start_time_secs = 5;
}

message SessionEndInfo {
  Status status = 1;
  double end_time_secs = 2;
}
`;

const STRUCT_PROTO = `
syntax = "proto3";
package google.protobuf;

enum NullValue { NULL_VALUE = 0; }
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    NullValue null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    Struct struct_value = 5;
    ListValue list_value = 6;
  }
}
message ListValue { repeated Value values = 1; }
`;

interface MessageTypes {
  event: Protobuf.Type;
  hparamsPluginData: Protobuf.Type;
}

let types: MessageTypes | null = null;

function load(): MessageTypes {
  const protobuf = createRequire(import.meta.url)("protobufjs") as typeof Protobuf;
  const root = new protobuf.Root();
  protobuf.parse(STRUCT_PROTO, root);
  protobuf.parse(TENSORBOARD_PROTO, root);
  protobuf.parse(HPARAMS_PROTO, root);
  root.resolveAll();
  return {
    event: root.lookupType("tensorboard.Event"),
    hparamsPluginData: root.lookupType("tensorboard.hparams.HParamsPluginData"),
  };
}

/** tensorboard.Event. */
export function eventType(): Protobuf.Type {
  return (types ??= load()).event;
}

/** tensorboard.hparams.HParamsPluginData. */
export function hparamsPluginDataType(): Protobuf.Type {
  return (types ??= load()).hparamsPluginData;
}

/** TensorBoard's DataType numbers for the tensors we write. */
export const DT_FLOAT = 1;
export const DT_STRING = 7;

/** The HParams plugin's Status enum. */
export const HPARAMS_STATUS = { unknown: 0, success: 1, failure: 2, running: 3 } as const;
