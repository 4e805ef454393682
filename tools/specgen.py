#!/usr/bin/env python3
"""specgen: generate explicit-offset C structs from a table of spec structures.

    python3 tools/specgen.py <table.toml> <outdir>

writes <outdir>/spec/<table stem>.h, only when its content changed (so make
does not rebuild what includes it). The table format is described at the top
of spec/structs.toml. The table is validated first; any error is reported as
"specgen: error: file: struct 'x' field 'y': ..." with exit status 1, and
nothing is written.

Every gap between fields becomes an explicit `uint8_t padN[...]` member, so
the compiler inserts no padding of its own, and the header pins the layout
with a _Static_assert on the offset of every field and on the size of every
structure. A structure may also name "parts": contiguous runs of its fields
emitted as their own structure (offsets relative to the first field), for
code that copies only those bytes. No unions, no casts, no objects.
"""
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

IDENT = re.compile(r"[a-z][a-z0-9_]*")
PAD_NAME = re.compile(r"pad[0-9]+")
C_RESERVED = frozenset("""auto break case char const continue default do double else enum
    extern float for goto if inline int long register restrict return short signed sizeof
    static struct switch typedef union unsigned void volatile while bool true false asm
    _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
    _Thread_local""".split())

# type name -> (C type, size, alignment)
SCALARS = {
    "u8": ("uint8_t", 1, 1),
    "u16": ("uint16_t", 2, 2),
    "u32": ("uint32_t", 4, 4),
    "u64": ("uint64_t", 8, 8),
    "i64": ("int64_t", 8, 8),
}
TYPE_HELP = "u8, u16, u32, u64, i64, bytes:N or struct:NAME (a structure defined above)"


class TableError(Exception):
    pass


@dataclass
class Field:
    name: str
    offset: int
    ctype: str         # C member type, without the array suffix
    elem_size: int
    align: int
    count: int         # 0: not an array
    note: str

    @property
    def size(self):
        return self.elem_size * max(self.count, 1)

    @property
    def end(self):
        return self.offset + self.size


@dataclass
class Part:
    name: str          # C tag of the part structure
    fields: list       # Field, offsets relative to the part
    base: int          # offset of the part's first field in the whole structure
    size: int
    align: int


@dataclass
class Struct:
    name: str
    title: str
    spec: str
    size: int
    align: int
    fields: list       # Field, in offset order
    parts: list


# ---- validation ----

def expect_keys(table, where, required, optional=()):
    if not isinstance(table, dict):
        raise TableError(f"{where}: expected a table")
    for k in required:
        if k not in table:
            raise TableError(f"{where}: missing key '{k}'")
    for k in table:
        if k not in required and k not in optional:
            raise TableError(f"{where}: unknown key '{k}'")


def expect_int(v, where, minimum=0):
    if isinstance(v, bool) or not isinstance(v, int):
        raise TableError(f"{where}: expected an integer, got {v!r}")
    if v < minimum:
        raise TableError(f"{where}: must be >= {minimum}, got {v}")
    return v


def expect_str(v, where):
    if not isinstance(v, str):
        raise TableError(f"{where}: expected a string, got {v!r}")
    if "*/" in v or "\n" in v:
        raise TableError(f"{where}: must be one line without '*/' (it becomes a C comment)")
    return v


def expect_ident(v, where):
    if not isinstance(v, str) or not IDENT.fullmatch(v):
        raise TableError(f"{where}: '{v}' is not a lowercase C identifier ([a-z][a-z0-9_]*)")
    if v in C_RESERVED:
        raise TableError(f"{where}: '{v}' is a C keyword")
    return v


def parse_type(text, where, structs):
    """(C type, element size, alignment, is_bytes) of a type name."""
    if not isinstance(text, str):
        raise TableError(f"{where}: type must be a string, got {text!r}")
    if text in SCALARS:
        return (*SCALARS[text], False)
    m = re.fullmatch(r"bytes:([0-9]+)", text)
    if m:
        n = int(m.group(1))
        if n == 0:
            raise TableError(f"{where}: bytes:0 has no bytes")
        return ("uint8_t", n, 1, True)
    m = re.fullmatch(r"struct:([a-z][a-z0-9_]*)", text)
    if m:
        s = structs.get(m.group(1))
        if s is None:
            raise TableError(f"{where}: unknown structure '{m.group(1)}' "
                             f"(a structure must be defined before it is used)")
        return (f"struct {s.name}", s.size, s.align, False)
    raise TableError(f"{where}: unknown type '{text}' (expected {TYPE_HELP})")


def parse_field(raw, swhere, index, structs):
    where = f"{swhere} field #{index}"
    expect_keys(raw, where, ("name", "offset", "type"), ("count", "note"))
    name = expect_ident(raw["name"], f"{where}: name")
    where = f"{swhere} field '{name}'"
    if PAD_NAME.fullmatch(name):
        raise TableError(f"{where}: names padN are reserved for the generated padding")
    offset = expect_int(raw["offset"], f"{where}: offset")
    ctype, size, align, is_bytes = parse_type(raw["type"], where, structs)
    count = 0
    if "count" in raw:
        if is_bytes:
            raise TableError(f"{where}: count with bytes:N (write bytes:<total> instead)")
        count = expect_int(raw["count"], f"{where}: count", 1)
    if is_bytes:
        count, size = size, 1
    note = expect_str(raw.get("note", ""), f"{where}: note")
    f = Field(name, offset, ctype, size, align, count, note)
    if offset % align != 0:
        raise TableError(f"{where}: misaligned: offset {offset:#x} is not a multiple of "
                         f"its alignment {align}")
    return f


def parse_struct(raw, where, structs, tags):
    expect_keys(raw, where, ("name", "size", "fields"), ("title", "spec", "parts"))
    name = expect_ident(raw["name"], f"{where}: name")
    where = f"struct '{name}'"
    if name in tags:
        raise TableError(f"{where}: duplicate structure name")
    size = expect_int(raw["size"], f"{where}: size", 1)
    title = expect_str(raw.get("title", name), f"{where}: title")
    spec = expect_str(raw.get("spec", ""), f"{where}: spec")
    if not isinstance(raw["fields"], list) or not raw["fields"]:
        raise TableError(f"{where}: fields must be a non-empty array")

    fields, names = [], set()
    for i, rf in enumerate(raw["fields"]):
        f = parse_field(rf, where, i + 1, structs)
        if f.name in names:
            raise TableError(f"{where} field '{f.name}': duplicate field name")
        names.add(f.name)
        if f.end > size:
            raise TableError(f"{where} field '{f.name}': ends at {f.end:#x}, past the "
                             f"structure's size {size:#x}")
        fields.append(f)
    fields.sort(key=lambda f: f.offset)
    for prev, f in zip(fields, fields[1:]):
        if f.offset < prev.end:
            raise TableError(f"{where} field '{f.name}': at {f.offset:#x} overlaps field "
                             f"'{prev.name}' ({prev.offset:#x}..{prev.end - 1:#x})")
    align = max(f.align for f in fields)
    if size % align != 0:
        raise TableError(f"{where}: size {size:#x} is not a multiple of its alignment {align}")

    parts = []
    raw_parts = raw.get("parts", [])
    if not isinstance(raw_parts, list):
        raise TableError(f"{where}: parts must be an array")
    by_name = {f.name: f for f in fields}
    for i, rp in enumerate(raw_parts):
        pw = f"{where} part #{i + 1}"
        expect_keys(rp, pw, ("name", "first", "last"))
        pname = expect_ident(rp["name"], f"{pw}: name")
        pw = f"{where} part '{pname}'"
        for k in ("first", "last"):
            if rp[k] not in by_name:
                raise TableError(f"{pw}: {k} '{rp[k]}' is not a field of {name}")
        first, last = by_name[rp["first"]], by_name[rp["last"]]
        if last.offset < first.offset:
            raise TableError(f"{pw}: last field '{last.name}' comes before first '{first.name}'")
        members = [f for f in fields if first.offset <= f.offset <= last.offset]
        palign = max(f.align for f in members)
        if first.offset % palign != 0:
            raise TableError(f"{pw}: misaligned: starts at {first.offset:#x}, not a multiple "
                             f"of its alignment {palign}")
        psize = -(-(last.end - first.offset) // palign) * palign
        rel = [Field(f.name, f.offset - first.offset, f.ctype, f.elem_size, f.align, f.count,
                     f.note) for f in members]
        parts.append(Part(f"{name}_{pname}", rel, first.offset, psize, palign))
    return Struct(name, title, spec, size, align, fields, parts)


def load(path):
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as e:
        raise TableError(f"{path}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        raise TableError(f"{path}: TOML syntax: {e}")
    try:
        expect_keys(raw, "table", ("struct",))
        if not isinstance(raw["struct"], list) or not raw["struct"]:
            raise TableError("table: 'struct' must be a non-empty array of tables ([[struct]])")
        structs, tags = {}, set()
        for i, rs in enumerate(raw["struct"]):
            s = parse_struct(rs, f"struct #{i + 1}", structs, tags)
            for tag in [s.name] + [p.name for p in s.parts]:
                if tag in tags:
                    raise TableError(f"struct '{s.name}': structure name '{tag}' is "
                                     f"already used")
                tags.add(tag)
            structs[s.name] = s
    except TableError as e:
        raise TableError(f"{path}: {e}")
    return list(structs.values())


# ---- output ----

def hexoff(v):
    return f"0x{v:03x}u"


def emit_members(fields, size):
    """Member lines of a structure of `size` bytes, padding made explicit."""
    out, at, npad = [], 0, 0

    def pad(upto):
        nonlocal at, npad
        if upto > at:
            out.append(f"\tuint8_t pad{npad}[{upto - at:#x}];\t/* {at:#05x} */")
            npad += 1
            at = upto

    for f in fields:
        pad(f.offset)
        arr = f"[{f.count}]" if f.count else ""
        note = f": {f.note}" if f.note else ""
        out.append(f"\t{f.ctype} {f.name}{arr};\t/* {f.offset:#05x}{note} */")
        at = f.end
    pad(size)
    return out


def emit_struct(s):
    out = [f"/* {s.title}{f' ({s.spec})' if s.spec else ''}: {s.size:#x} bytes */",
           f"struct {s.name} {{"]
    out += emit_members(s.fields, s.size)
    out.append("};")
    for f in s.fields:
        out.append(f"_Static_assert(offsetof(struct {s.name}, {f.name}) == {hexoff(f.offset)}, "
                   f"\"{s.name}.{f.name} at {f.offset:#x}\");")
    out.append(f"_Static_assert(sizeof(struct {s.name}) == {hexoff(s.size)}, "
               f"\"{s.name} is {s.size:#x} bytes\");")
    for p in s.parts:
        first, last = p.fields[0].name, p.fields[-1].name
        out += ["",
                f"/* {s.title} bytes {p.base:#05x}..{p.base + p.size - 1:#05x} ({first} .. "
                f"{last}), copied as one block from offsetof(struct {s.name}, {first}) */",
                f"struct {p.name} {{"]
        out += emit_members(p.fields, p.size)
        out.append("};")
        for f in p.fields:
            out.append(f"_Static_assert(offsetof(struct {p.name}, {f.name}) == {hexoff(f.offset)} "
                       f"&&\n\t       offsetof(struct {s.name}, {first}) + "
                       f"offsetof(struct {p.name}, {f.name}) ==\n\t       "
                       f"offsetof(struct {s.name}, {f.name}), \"{p.name}.{f.name}\");")
        out.append(f"_Static_assert(sizeof(struct {p.name}) == {hexoff(p.size)}, "
                   f"\"{p.name} is {p.size:#x} bytes\");")
    return "\n".join(out) + "\n"


def emit_header(path, structs):
    stem = Path(path).stem
    guard = f"SPEC_{stem.upper()}_H"
    parts = [f"/* generated from {path} by tools/specgen.py; do not edit */",
             f"#ifndef {guard}",
             f"#define {guard}",
             "",
             "#include <stddef.h>",
             "#include <stdint.h>",
             "",
             "/* Size of a member without an object, for checks against the copies code makes. */",
             "#define SPEC_SIZEOF(type, member) sizeof(((type){ 0 }).member)",
             ""]
    body = "\n".join(emit_struct(s) for s in structs)
    return "\n".join(parts) + "\n" + body + f"\n#endif /* {guard} */\n"


def write_if_changed(path, text):
    try:
        if path.read_text() == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    print(f"  GEN     {path}")


def main(argv):
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} <table.toml> <outdir>")
    try:
        structs = load(argv[1])
    except TableError as e:
        sys.exit(f"specgen: error: {e}")
    write_if_changed(Path(argv[2]) / "spec" / f"{Path(argv[1]).stem}.h",
                     emit_header(argv[1], structs))


if __name__ == "__main__":
    main(sys.argv)
