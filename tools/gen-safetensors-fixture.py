#!/usr/bin/env python3
"""Independent safetensors writer/reader in plain Python (json + struct + numpy, no `safetensors`
package), used to check that batcoder's reader/writer agree with another implementation.

  python3 tools/gen-safetensors-fixture.py write   # regenerates test/fixtures/checkpoint/python.*
  python3 tools/gen-safetensors-fixture.py read FILE.safetensors   # prints a JSON summary

`write` produces python.safetensors (several dtypes, F16 rounded by numpy's astype, BF16 rounded
here with integer arithmetic) and python.expected.json (the float32 sources and the on-disk bits),
plus the same roundings done by PyTorch, which test/checkpoint/python-fixture.test.ts compares
against. Needs numpy and torch (Debian: apt-get install python3-numpy python3-torch, then run it
with /usr/bin/python3); CI never runs it.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "checkpoint"

DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_, "BF16": np.uint16}


def bf16_bits(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bits, round to nearest even, NaN -> quiet NaN (pure integer arithmetic)."""
    b = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((b + 0x7FFF + ((b >> 16) & 1)) >> 16) & 0xFFFF
    nan = (b & 0x7FFFFFFF) > 0x7F800000
    rounded[nan] = ((b[nan] >> 16) | 0x40) & 0xFFFF
    return rounded.astype(np.uint16)


def write(path: Path, tensors: dict, metadata: dict) -> None:
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name in sorted(tensors):
        dtype, arr = tensors[name]
        raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read(path: Path) -> dict:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {"__metadata__": header.pop("__metadata__", None)}
    for name, info in header.items():
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[base + b:base + e], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        if info["dtype"] == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        vals = arr.astype(np.float64) if arr.dtype.kind == "f" else arr.astype(np.int64)
        out[name] = {"dtype": info["dtype"], "shape": info["shape"],
                     "values": [None if np.isnan(v) else (str(v) if np.isinf(v) else v.item()) for v in vals.reshape(-1)]}
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "read":
        print(json.dumps(read(Path(sys.argv[2])), indent=1))
        return
    assert sys.argv[1:] == ["write"], __doc__
    np.seterr(over="ignore")  # 65520 and 1e5 overflow to inf in float16 on purpose
    rng = np.random.default_rng(20260101)
    special = np.array([0.0, -0.0, 1.0, -1.5, np.pi, 1e-40, np.inf, -np.inf, np.nan, 65504.0, 65520.0, 1e5,
                        2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11,
                        1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, -6.1e-5], dtype=np.float32)
    src = np.concatenate([special, (rng.standard_normal(44) * np.exp2(rng.integers(-20, 16, 44))).astype(np.float32)])
    tensors = {
        "model.f32": ("F32", src.reshape(8, 8)),
        "model.f16": ("F16", src.astype(np.float16).reshape(4, 16)),
        "model.bf16": ("BF16", bf16_bits(src).reshape(64)),
        "model.f64": ("F64", np.array([np.pi, -1e300, 5e-324], dtype=np.float64)),
        "model.i64": ("I64", np.array([-(2 ** 62), 0, 2 ** 53 + 1], dtype=np.int64)),
        "model.i32": ("I32", np.arange(-3, 3, dtype=np.int32).reshape(2, 3)),
        "model.i16": ("I16", np.array([-32768, 32767], dtype=np.int16)),
        "model.i8": ("I8", np.array([-128, 127], dtype=np.int8)),
        "model.u8": ("U8", np.array([0, 7, 255], dtype=np.uint8)),
        "model.mask": ("BOOL", np.array([True, False, True])),
        "scalar": ("F32", np.array(2.5, dtype=np.float32)),
    }
    metadata = {"format": "pt", "source": "tools/gen-safetensors-fixture.py"}
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "python.safetensors", tensors, metadata)
    expected = {
        "metadata": metadata,
        "f32_source_bits": [int(v) for v in src.view(np.uint32)],
        "f16_bits": [int(v) for v in src.astype(np.float16).view(np.uint16)],
        "bf16_bits": [int(v) for v in bf16_bits(src)],
        "f64": [float(v) for v in tensors["model.f64"][1]],
        "i64": [str(v) for v in tensors["model.i64"][1]],
    }
    try:  # Debian's python3-torch, when present: a third, independent rounding implementation
        import torch
        t = torch.from_numpy(src.copy())
        expected["torch_version"] = torch.__version__
        expected["torch_f16_bits"] = [int(v) for v in t.half().view(torch.int16).numpy().view(np.uint16)]
        expected["torch_bf16_bits"] = [int(v) for v in t.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)]
    except ImportError:
        print("torch not available: torch_*_bits left out (the test needs them; run with /usr/bin/python3)")
    (OUT / "python.expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print("wrote", OUT / "python.safetensors", (OUT / "python.safetensors").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
