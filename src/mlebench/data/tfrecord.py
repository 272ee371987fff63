"""Reading and writing TFRecord files of `tf.train.Example` records without TensorFlow.

A TFRecord file is a sequence of frames::

    uint64 length (little endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)

and each `data` is a serialized `tf.train.Example` protobuf::

    Example  { Features features = 1; }
    Features { map<string, Feature> feature = 1; }
    Feature  { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
    BytesList { repeated bytes value = 1; }  FloatList { repeated float value = 1 [packed]; }
    Int64List { repeated int64 value = 1 [packed]; }

Only this subset of protobuf is implemented. Features are written sorted by name (what TensorFlow's
deterministic serialization does), so files are reproducible byte for byte.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

FeatureValue = bytes | str | int | float | Sequence[bytes | str] | Sequence[int] | Sequence[float]


class TFRecordError(ValueError):
    """A corrupt frame (bad checksum, truncated) or an unparsable Example."""


def _crc32c_table() -> list[int]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def _crc32c_python(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _compiled_crc32c():
    """A compiled CRC-32C from an optional package (`crc32c` or `google-crc32c`), if installed."""
    try:
        import crc32c as _c  # type: ignore[import-not-found]  # optional: compiled CRC

        return _c.crc32c
    except ImportError:
        pass
    try:
        import google_crc32c  # type: ignore[import-not-found]  # optional: compiled CRC

        return google_crc32c.value
    except ImportError:
        return None


_FAST_CRC32C = _compiled_crc32c()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), as used by TFRecord frames. Pure Python (a few MB/s) unless the
    optional `crc32c` or `google-crc32c` package is installed."""
    if _FAST_CRC32C is not None:
        return int(_FAST_CRC32C(bytes(data)))
    return _crc32c_python(data)


def masked_crc32c(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


# --- framing ----------------------------------------------------------------------------------

def frame(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


def write_records(path: Path | str, records: Iterable[bytes]) -> None:
    with open(path, "wb") as f:
        for data in records:
            f.write(frame(data))


def iter_records(path: Path | str, verify: bool | None = True) -> Iterator[bytes]:
    """The raw `data` of each frame of the file at `path`.

    `verify=True` checks both checksums of every frame, `False` none. `None` always checks the
    (cheap) length checksum and checks the data checksum only when a compiled CRC-32C is installed:
    pure-Python CRC over gigabytes of images would take many minutes.
    """
    verify_data = verify is True or (verify is None and _FAST_CRC32C is not None)
    with open(path, "rb") as f:
        while True:
            head = f.read(12)
            if not head:
                return
            if len(head) < 12:
                raise TFRecordError(f"{path}: truncated frame header")
            (length,) = struct.unpack("<Q", head[:8])
            if verify is not False and struct.unpack("<I", head[8:])[0] != masked_crc32c(head[:8]):
                raise TFRecordError(f"{path}: bad length checksum")
            data = f.read(length)
            tail = f.read(4)
            if len(data) < length or len(tail) < 4:
                raise TFRecordError(f"{path}: truncated record")
            if verify_data and struct.unpack("<I", tail)[0] != masked_crc32c(data):
                raise TFRecordError(f"{path}: bad data checksum")
            yield data


# --- protobuf subset --------------------------------------------------------------------------

def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 -> two's complement, 10 bytes
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _feature(value: FeatureValue) -> bytes:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if all(isinstance(v, (bytes, str)) for v in values):
        body = b"".join(_field(1, v.encode() if isinstance(v, str) else v) for v in values)
        return _field(1, body)
    if all(isinstance(v, int) and not isinstance(v, bool) or isinstance(v, bool) for v in values):
        return _field(3, _field(1, b"".join(_varint(int(v)) for v in values)) if values else b"")
    return _field(2, _field(1, struct.pack(f"<{len(values)}f", *map(float, values))) if values else b"")


def encode_example(features: Mapping[str, FeatureValue]) -> bytes:
    """Serialize `{name: value}` as a `tf.train.Example` (str/bytes -> bytes_list, int ->
    int64_list, float -> float_list; a list gives several values)."""
    body = b"".join(
        _field(1, _field(1, name.encode()) + _field(2, _feature(features[name])))
        for name in sorted(features)
    )
    return _field(1, body)


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise TFRecordError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf: bytes) -> Iterator[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) of each field of a message."""
    pos = 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(buf, pos)
            yield number, wire, value
        elif wire == 1:
            yield number, wire, buf[pos:pos + 8]
            pos += 8
        elif wire == 2:
            length, pos = _read_varint(buf, pos)
            if pos + length > len(buf):
                raise TFRecordError("truncated field")
            yield number, wire, buf[pos:pos + length]
            pos += length
        elif wire == 5:
            yield number, wire, buf[pos:pos + 4]
            pos += 4
        else:
            raise TFRecordError(f"unsupported wire type {wire}")


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _decode_list(kind: int, buf: bytes) -> list:
    out: list = []
    for number, wire, value in _fields(buf):
        if number != 1:
            continue
        if kind == 1:
            out.append(value)
        elif kind == 2:
            out.extend(struct.unpack(f"<{len(value) // 4}f", value) if wire == 2 else
                       struct.unpack("<f", value))
        elif wire == 2:
            pos = 0
            while pos < len(value):
                v, pos = _read_varint(value, pos)
                out.append(_signed(v))
        else:
            out.append(_signed(value))
    return out


def decode_example(data: bytes) -> dict[str, list]:
    """`{feature name: list of values}` (bytes, float or int) of a serialized `tf.train.Example`."""
    features: dict[str, list] = {}
    for number, _, features_msg in _fields(data):
        if number != 1:
            continue
        for n, _, entry in _fields(features_msg):
            if n != 1:
                continue
            name, values = "", []
            for en, _, ev in _fields(entry):
                if en == 1:
                    name = ev.decode()
                elif en == 2:
                    for kind, _, lst in _fields(ev):
                        values = _decode_list(kind, lst)
            features[name] = values
    return features


def read_examples(path: Path | str, verify: bool | None = True) -> Iterator[dict[str, list]]:
    for data in iter_records(path, verify=verify):
        yield decode_example(data)


def ids_from_tfrecord(
    path: Path | str, id_feature: str = "image_name", verify: bool | None = None
) -> list[str]:
    """The first value of the bytes feature `id_feature` of every record, decoded as UTF-8
    (`verify` as in `iter_records`)."""
    return [example[id_feature][0].decode("utf-8") for example in read_examples(path, verify=verify)]
