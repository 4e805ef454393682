#!/usr/bin/env python3
"""ipcgen: generate typed IPC code from a service schema (ipc/SCHEMA.md).

    python3 tools/ipcgen.py <schema.toml> <outdir>

writes <outdir>/ipc/<service>.h and <outdir>/ipc/<service>.c, each only when
its content changed (so make does not rebuild what includes them). The schema
is validated first; any error is reported as "file: op 'x' req field 'y': ..."
and nothing is written. IPC_MAX_MSG, IPC_MAX_REFS and the enum ipc_service
constants are read from ipc/include/ipc/ipc.h, the single source of truth.

Generated C uses no unions, pointer casts, pointer arithmetic, mutable
globals, variadic functions or asm: messages are copied with memcpy into
structs whose layout (explicit _padN members) is pinned by _Static_asserts.
"""
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

IPC_H = Path(__file__).resolve().parent.parent / "ipc" / "include" / "ipc" / "ipc.h"

IDENT = re.compile(r"[a-z][a-z0-9_]*")
ENUM_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Words a lowercase field name must not be: C11 keywords and <stdbool.h> macros.
C_RESERVED = frozenset("""auto break case char const continue default do double else enum
    extern float for goto if inline int long register restrict return short signed sizeof
    static struct switch typedef union unsigned void volatile while bool true false asm""".split())

INT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64}
CHECKS = ("granule_aligned", "nonzero", "range", "max", "mask", "zero", "in_dram")


class SchemaError(Exception):
    pass


@dataclass
class Type:
    kind: str          # int, bool, enum, bytes, u64_array, granule_ref, lease_fwd
    size: int
    align: int
    ctype: str         # C member type (without any array suffix)
    count: int = 0     # array length (bytes, u64_array)
    bits: int = 0      # element width of int/bytes/u64_array
    enum: "Enum | None" = None


@dataclass
class Member:
    name: str
    type: Type | None  # None: generated padding (uint8_t name[size])
    offset: int
    size: int
    checks: list = field(default_factory=list)  # parsed (kind, args) tuples


@dataclass
class Message:
    members: list      # Member, in layout order, padding included
    size: int

    def fields(self, kind):
        return [m for m in self.members if m.type and m.type.kind == kind]


@dataclass
class Enum:
    name: str          # schema name
    cname: str         # C tag, service-prefixed
    values: list       # (C constant, value)


@dataclass
class Op:
    name: str
    id: int
    req: Message
    rep: Message
    grant_mask: int


@dataclass
class Schema:
    path: str
    service: str
    id: int
    service_enum: str
    enums: list
    ops: list


# ---- ipc.h ----

def read_ipc_h():
    try:
        text = IPC_H.read_text()
    except OSError as e:
        raise SchemaError(f"cannot read {IPC_H}: {e.strerror}")
    consts = {}
    for name in ("IPC_MAX_MSG", "IPC_MAX_REFS"):
        m = re.search(rf"^#define\s+{name}\s+(\d+)u?\b", text, re.M)
        if not m:
            raise SchemaError(f"{IPC_H}: no #define {name}")
        consts[name] = int(m.group(1))
    services = {n: int(v) for n, v in re.findall(r"\b(IPC_SVC_\w+)\s*=\s*(\d+)", text)}
    services.pop("IPC_SVC_COUNT", None)
    return consts["IPC_MAX_MSG"], consts["IPC_MAX_REFS"], services


# ---- schema parsing and validation ----

def expect_keys(table, where, required, optional=()):
    for k in required:
        if k not in table:
            raise SchemaError(f"{where}: missing key '{k}'")
    for k in table:
        if k not in required and k not in optional:
            raise SchemaError(f"{where}: unknown key '{k}'")


def expect_int(v, where, lo, hi):
    if type(v) is not int or not lo <= v <= hi:
        raise SchemaError(f"{where}: must be an integer in {lo}..{hi}, got {v!r}")
    return v


def expect_ident(v, where):
    if not isinstance(v, str) or not IDENT.fullmatch(v):
        raise SchemaError(f"{where}: {v!r} is not a lowercase C identifier ([a-z][a-z0-9_]*)")
    return v


def parse_enums(raw, service, where):
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: 'enums' must be a table of tables")
    enums = {}
    for name, vals in raw.items():
        w = f"{where}: enum '{name}'"
        expect_ident(name, w)
        if not isinstance(vals, dict) or not vals:
            raise SchemaError(f"{w}: must be a non-empty table of NAME = value")
        # C tags are service-prefixed; a name that already is is not prefixed twice.
        cname = name if name.startswith(service + "_") else f"{service}_{name}"
        seen = {}
        values = []
        for vname, v in vals.items():
            if not ENUM_VALUE.fullmatch(vname):
                raise SchemaError(f"{w}: {vname!r} is not a C identifier")
            # enum constants are int in C11
            expect_int(v, f"{w} value '{vname}'", 0, 0x7FFFFFFF)
            if v in seen:
                raise SchemaError(f"{w}: '{vname}' and '{seen[v]}' both have value {v}")
            seen[v] = vname
            values.append((f"{cname}_{vname}".upper(), v))
        enums[name] = Enum(name, cname, values)
    return enums


def parse_type(text, enums, where):
    if not isinstance(text, str):
        raise SchemaError(f"{where}: type must be a string")
    if text in INT_BITS:
        b = INT_BITS[text]
        return Type("int", b // 8, b // 8, f"uint{b}_t", bits=b)
    if text == "bool":
        return Type("bool", 1, 1, "uint8_t", bits=8)
    if text == "granule_ref":
        return Type("granule_ref", 16, 8, "struct ipc_granule_ref")
    if text == "lease_fwd":
        return Type("lease_fwd", 16, 4, "struct ipc_lease_fwd")
    if m := re.fullmatch(r"enum\s+(\S+)", text):
        if m.group(1) not in enums:
            raise SchemaError(f"{where}: unknown enum '{m.group(1)}'")
        return Type("enum", 4, 4, "uint32_t", bits=32, enum=enums[m.group(1)])
    if m := re.fullmatch(r"bytes:(\d+)", text):
        n = int(m.group(1))
        if n < 1:
            raise SchemaError(f"{where}: array length must be at least 1")
        return Type("bytes", n, 1, "uint8_t", count=n, bits=8)
    if m := re.fullmatch(r"u64\[(\d+)\]", text):
        n = int(m.group(1))
        if n < 1:
            raise SchemaError(f"{where}: array length must be at least 1")
        return Type("u64_array", 8 * n, 8, "uint64_t", count=n, bits=64)
    raise SchemaError(f"{where}: unknown type '{text}'")


def parse_number(text, where):
    try:
        v = int(text, 0)
    except ValueError:
        raise SchemaError(f"{where}: {text!r} is not a number")
    if v < 0:
        raise SchemaError(f"{where}: {text!r} is negative")
    return v


def parse_check(text, ty, where):
    """One check string -> (kind, args); bounds must fit the field's type."""
    if not isinstance(text, str):
        raise SchemaError(f"{where}: checks must be strings")
    kind, _, arg = text.partition(":")
    if kind not in CHECKS:
        raise SchemaError(f"{where}: unknown check '{text}'")
    if ty.kind not in ("int", "bytes", "u64_array"):
        raise SchemaError(f"{where}: check '{text}' not allowed on {ty.kind} "
                          "(its checks are built in)")
    w = f"{where}: check '{text}'"
    top = (1 << ty.bits) - 1
    if kind == "range":
        lo, sep, hi = arg.partition("..")
        if not sep:
            raise SchemaError(f"{w}: expected range:A..B")
        args = (parse_number(lo, w), parse_number(hi, w))
        if args[0] > args[1]:
            raise SchemaError(f"{w}: empty range")
    elif kind in ("max", "mask"):
        args = (parse_number(arg, w),)
    elif arg:
        raise SchemaError(f"{w}: takes no argument")
    else:
        args = ()
    if any(a > top for a in args):
        raise SchemaError(f"{w}: bound does not fit in {ty.bits} bits")
    return kind, args


def layout(raw, kind, enums, where, max_msg):
    """Lay fields out in declaration order at natural alignment, size rounded to 8."""
    if not isinstance(raw, list):
        raise SchemaError(f"{where}: '{kind}' must be an array of field tables")
    members, names, pads, off = [], set(), 0, 0

    def pad_to(align):
        nonlocal pads, off
        if off % align:
            n = align - off % align
            members.append(Member(f"_pad{pads}", None, off, n))
            pads += 1
            off += n

    for f in raw:
        if not isinstance(f, dict):
            raise SchemaError(f"{where}: {kind} entries must be tables")
        fname = f.get("name", "?")
        w = f"{where} {kind} field '{fname}'"
        expect_keys(f, w, ("name", "type"), ("check",))
        expect_ident(fname, w)
        if fname in C_RESERVED:
            raise SchemaError(f"{w}: name is a C keyword")
        if fname in names:
            raise SchemaError(f"{w}: duplicate field name")
        names.add(fname)
        ty = parse_type(f["type"], enums, w)
        if kind == "rep" and ty.kind in ("granule_ref", "lease_fwd"):
            raise SchemaError(f"{w}: {ty.kind} is only allowed in requests "
                              "(the transport translates request leases only)")
        raw_checks = f.get("check", [])
        if not isinstance(raw_checks, list):
            raise SchemaError(f"{w}: 'check' must be an array of strings")
        if len(set(map(str, raw_checks))) != len(raw_checks):
            raise SchemaError(f"{w}: duplicate check")
        checks = [parse_check(c, ty, w) for c in raw_checks]
        pad_to(ty.align)
        members.append(Member(fname, ty, off, ty.size, checks))
        off += ty.size
    if members:
        pad_to(8)
    if off > max_msg:
        raise SchemaError(f"{where}: {kind} is {off} bytes, more than IPC_MAX_MSG ({max_msg})")
    return Message(members, off)


def parse_op(raw, enums, where, max_msg, max_refs):
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: 'op' must be an array of tables ([[op]])")
    name = raw.get("name", "?")
    w = f"{where}: op '{name}'"
    expect_keys(raw, w, ("name", "id"), ("grants", "req", "rep"))
    expect_ident(name, w)
    opid = expect_int(raw["id"], f"{w}: id", 1, 0xFFFF)
    req = layout(raw.get("req", []), "req", enums, w, max_msg)
    rep = layout(raw.get("rep", []), "rep", enums, w, max_msg)
    refs = req.fields("granule_ref")
    for kind in ("granule_ref", "lease_fwd"):
        if len(req.fields(kind)) > max_refs:
            raise SchemaError(f"{w}: {len(req.fields(kind))} {kind} fields, "
                              f"more than IPC_MAX_REFS ({max_refs})")
    grants = raw.get("grants", [])
    if not isinstance(grants, list):
        raise SchemaError(f"{w}: 'grants' must be an array of field names")
    mask = 0
    for g in grants:
        idx = [i for i, r in enumerate(refs) if r.name == g]
        if not idx:
            raise SchemaError(f"{w}: grants names '{g}', which is not a granule_ref req field")
        if mask & (1 << idx[0]):
            raise SchemaError(f"{w}: grants names '{g}' twice")
        mask |= 1 << idx[0]
    return Op(name, opid, req, rep, mask)


def check_collisions(s):
    """Every generated file-scope identifier must be unique (per C namespace)."""
    ordinary = {}
    tags = {}

    def claim(table, ident, what):
        if ident in table:
            raise SchemaError(f"{s.path}: generated name '{ident}' of {what} "
                              f"collides with that of {table[ident]}")
        table[ident] = what

    sv = s.service
    for ident in (f"{sv}_dispatch", f"{sv}_ops", f"{sv}_ops_count", f"{sv}_all_zero",
                  f"{sv.upper()}_SERVICE_ID"):
        claim(ordinary, ident, "the service")
    claim(tags, f"{sv}_state", "the service")
    claim(tags, f"{sv}_op", "the service")
    for e in s.enums:
        claim(tags, e.cname, f"enum '{e.name}'")
        claim(ordinary, f"{e.cname}_valid", f"enum '{e.name}'")
        for const, _ in e.values:
            claim(ordinary, const, f"enum '{e.name}'")
    for op in s.ops:
        what = f"op '{op.name}'"
        p = f"{sv}_{op.name}"
        for ident in (p, f"{sv}_handle_{op.name}", f"{sv}_serve_{op.name}",
                      f"{sv}_OP_{op.name}".upper()):
            claim(ordinary, ident, what)
        for kind in ("req", "rep"):
            claim(ordinary, f"{p}_{kind}_decode", what)
            claim(ordinary, f"{p}_{kind}_valid", what)
            claim(tags, f"{p}_{kind}", what)


def load(path, max_msg, max_refs, services):
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except OSError as e:
        raise SchemaError(f"{path}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        raise SchemaError(f"{path}: TOML syntax: {e}")
    expect_keys(raw, path, ("service", "id", "op"), ("service_enum", "enums"))
    service = expect_ident(raw["service"], f"{path}: service")
    if Path(path).stem != service:
        raise SchemaError(f"{path}: service '{service}' must match the file name "
                          f"({service}.toml, see ipc/SCHEMA.md)")
    sid = expect_int(raw["id"], f"{path}: id", 1, 0xFFFF)
    senum = raw.get("service_enum", f"IPC_SVC_{service.upper()}")
    if senum not in services:
        raise SchemaError(f"{path}: service_enum '{senum}' is not an enum ipc_service "
                          f"constant in ipc.h ({', '.join(services)})")
    if services[senum] != sid:
        raise SchemaError(f"{path}: id {sid} differs from {senum} = {services[senum]} in ipc.h")
    enums = parse_enums(raw.get("enums", {}), service, path)
    if not isinstance(raw["op"], list) or not raw["op"]:
        raise SchemaError(f"{path}: at least one [[op]] is required")
    ops = []
    for r in raw["op"]:
        op = parse_op(r, enums, path, max_msg, max_refs)
        for other in ops:
            if other.name == op.name:
                raise SchemaError(f"{path}: op '{op.name}': duplicate op name")
            if other.id == op.id:
                raise SchemaError(f"{path}: op '{op.name}': duplicate op id {op.id} "
                                  f"(also op '{other.name}')")
        ops.append(op)
    s = Schema(path, service, sid, senum, list(enums.values()), ops)
    check_collisions(s)
    return s


# ---- C emission ----

def lit(v, bits, hexa=False):
    """A C literal for v compared against a uintN_t (u8/u16 promote to int)."""
    text = hex(v) if hexa else str(v)
    if bits == 64:
        return f"UINT64_C({text})"
    return text + "u" if bits == 32 else text


def bad_conditions(sv, m, value):
    """C conditions (on expression `value`) that make field m invalid, one per test."""
    ty = m.type
    if ty.kind == "bool":
        return [f"{value} > 1"]
    if ty.kind == "enum":
        return [f"!{ty.enum.cname}_valid({value})"]
    if ty.kind == "granule_ref":
        return [f"({value}.lease >= IPC_MAX_LEASES && {value}.lease != IPC_LEASE_NEW)",
                f"!{sv}_all_zero({value}.rsvd, sizeof {value}.rsvd)",
                f"({value}.pa & UINT64_C(0xfff)) != 0",
                f"!ipc_env_in_dram({value}.pa)"]
    if ty.kind == "lease_fwd":
        return [f"{value}.lease >= IPC_MAX_LEASES",
                f"{value}.rights == 0",
                f"({value}.rights & ~IPC_RIGHTS_RW) != 0",
                f"{value}.rsvd != 0",
                f"{value}.rsvd2 != 0"]
    b = ty.bits
    top = (1 << b) - 1
    out = []
    for kind, args in m.checks:
        if kind == "granule_aligned":
            out.append(f"({value} & {lit(0xfff, b, True)}) != 0")
        elif kind == "nonzero":
            out.append(f"{value} == 0")
        elif kind == "zero":
            out.append(f"{value} != 0")
        elif kind == "in_dram":
            out.append(f"!ipc_env_in_dram({value})")
        elif kind == "mask" and args[0] != top:
            out.append(f"({value} & {lit(top & ~args[0], b, True)}) != 0")
        elif kind == "max" and args[0] != top:
            out.append(f"{value} > {lit(args[0], b)}")
        elif kind == "range":
            # bounds that every value of the type meets are left out (-Wtype-limits)
            if args[0] != 0:
                out.append(f"{value} < {lit(args[0], b)}")
            if args[1] != top:
                out.append(f"{value} > {lit(args[1], b)}")
    return out


def validator_body(sv, msg):
    """Statements (lists of lines) rejecting an invalid *m; empty if nothing to check."""
    stmts = []
    for m in msg.members:
        if m.type is None:
            stmts.append([f"if (!{sv}_all_zero(m->{m.name}, sizeof m->{m.name}))",
                          "\treturn false;"])
            continue
        if m.type.kind in ("bytes", "u64_array"):
            conds = bad_conditions(sv, m, f"m->{m.name}[i]")
            if conds:
                stmts.append([f"for (size_t i = 0; i < {m.type.count}u; i++) {{"]
                             + [ln for c in conds for ln in (f"\tif ({c})", "\t\treturn false;")]
                             + ["}"])
            continue
        stmts += [[f"if ({c})", "\treturn false;"] for c in bad_conditions(sv, m, f"m->{m.name}")]
    return stmts


class Writer:
    """Collects output lines; w(text, indent) appends text indented by tabs."""
    WIDTH = 100

    def __init__(self):
        self.lines = []

    def __call__(self, text="", indent=0):
        for ln in text.split("\n") if text else [""]:
            self.lines.append("\t" * indent + ln if ln else "")

    def call(self, head, args, tail="", indent=0):
        """head(args)tail, wrapped at WIDTH with continuations aligned to the '('."""
        col = 8 * indent + len(head) + 1
        cont = "\t" * (col // 8) + " " * (col % 8)
        line = "\t" * indent + head + "("
        width = col
        for i, a in enumerate(args):
            piece = a + (", " if i + 1 < len(args) else ")" + tail)
            if width > col and width + len(piece.rstrip()) > self.WIDTH:
                self.lines.append(line.rstrip())
                line, width = cont, col
            line += piece
            width += len(piece)
        self.lines.append(line)

    def text(self):
        return "\n".join(self.lines) + "\n"


def struct_name(s, op, kind):
    return f"struct {s.service}_{op.name}_{kind}"


def stub_params(s, op):
    ps = []
    if op.req.members:
        ps.append(f"const {struct_name(s, op, 'req')} *req")
    if op.rep.members:
        ps.append(f"{struct_name(s, op, 'rep')} *rep")
    return ps + ["int32_t *svc_status"]


def handler_params(s, op):
    ps = [f"struct {s.service}_state *st"]
    if op.req.members:
        ps.append(f"const {struct_name(s, op, 'req')} *req")
    if op.rep.members:
        ps.append(f"{struct_name(s, op, 'rep')} *rep")
    return ps


def decode_params(s, op, kind):
    ps = ["const uint8_t *buf", "size_t len"]
    if getattr(op, kind).members:
        ps.append(f"{struct_name(s, op, kind)} *out")
    return ps


SERVE_PARAMS = ["const uint8_t *msg", "size_t len", "uint8_t *rep_buf", "size_t rep_cap",
                "size_t *rep_len", "int32_t *svc_status"]
SERVE_ARGS = ["st", "msg", "len", "rep_buf", "rep_cap", "rep_len", "svc_status"]


def serve_params(op):
    """An op without a reply does not take the reply buffer at all."""
    if op.rep.members:
        return SERVE_PARAMS
    return [p for p in SERVE_PARAMS if "rep_buf" not in p and "rep_cap" not in p]


def serve_args(op):
    if op.rep.members:
        return SERVE_ARGS
    return [a for a in SERVE_ARGS if a not in ("rep_buf", "rep_cap")]


def dispatch_params(s):
    return [f"struct {s.service}_state *st", "uint16_t op"] + SERVE_PARAMS


def emit_header(s):
    w = Writer()
    S = s.service.upper()
    guard = f"IPC_GEN_{S}_H"
    w(f"/* generated from {s.path} by tools/ipcgen.py; do not edit */")
    w(f"#ifndef {guard}\n#define {guard}\n")
    w("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n#include <ipc/ipc.h>\n")
    w(f"#define {S}_SERVICE_ID {s.id}")
    w(f'_Static_assert({S}_SERVICE_ID == {s.service_enum}, "{s.path}: id != {s.service_enum}");')
    for e in s.enums:
        w(f"\nenum {e.cname} {{")
        for const, v in e.values:
            w(f"{const} = {v},", 1)
        w("};\n")
        w(f"static inline bool {e.cname}_valid(uint32_t v)\n{{\n\tswitch (v) {{")
        for const, _ in e.values:
            w(f"case {const}:", 1)
        w("\t\treturn true;\n\tdefault:\n\t\treturn false;\n\t}\n}")
    w(f"\nenum {s.service}_op {{")
    for op in s.ops:
        w(f"{S}_OP_{op.name.upper()} = {op.id},", 1)
    w("};\n")
    w(f"/* Defined by the service that implements {s.service}. */")
    w(f"struct {s.service}_state;")
    for op in s.ops:
        w(f"\n/* ---- op {op.name} ({op.id}) ---- */")
        for kind in ("req", "rep"):
            msg = getattr(op, kind)
            if not msg.members:
                continue
            tag = struct_name(s, op, kind)
            w(f"{tag} {{")
            for m in msg.members:
                if m.type is None:
                    w(f"uint8_t {m.name}[{m.size}];", 1)
                elif m.type.count:
                    w(f"{m.type.ctype} {m.name}[{m.type.count}];", 1)
                else:
                    w(f"{m.type.ctype} {m.name};", 1)
            w("};")
            for m in msg.members:
                w(f'_Static_assert(offsetof({tag}, {m.name}) == {m.offset}, "layout");')
            w(f'_Static_assert(sizeof({tag}) == {msg.size}, "layout");')
            w(f'_Static_assert(sizeof({tag}) <= IPC_MAX_MSG, "IPC_MAX_MSG");')
        for kind in ("req", "rep"):
            w.call(f"enum ipc_status {s.service}_{op.name}_{kind}_decode",
                   decode_params(s, op, kind), ";")
        w.call(f"enum ipc_status {s.service}_{op.name}", stub_params(s, op), ";")
        w.call(f"int32_t {s.service}_handle_{op.name}", handler_params(s, op), ";")
    w(f"""
/*
 * <op>_req_decode / <op>_rep_decode: check that len is exactly the message
 * size, copy buf into *out and validate every field, padding and reserved
 * member. Returns IPC_OK, IPC_E_BAD_LEN or IPC_E_BAD_FIELD (and zeroes *out).
 *
 * {s.service}_<op>(): client stub. Encodes *req, calls ipc_call() and, if the
 * transport returns IPC_OK, decodes the reply into *rep (IPC_E_BAD_REPLY if
 * its length or a field is wrong). *svc_status gets the handler's status.
 *
 * {s.service}_handle_<op>(): implemented by the service; called only with a
 * validated request and a zeroed reply. Returns the service status.
 */

/*
 * Server side, left out of the .c when it is compiled with
 * -D{s.service.upper()}_CLIENT_ONLY (by a client that implements no handlers).
 *
 * Decode msg (already copied out of the queue) and run the op's handler.
 * Unknown op: IPC_E_BAD_OP; a request that fails decoding: that status, and
 * the handler is not called; rep_cap smaller than the reply: IPC_E_BAD_REPLY.
 * Otherwise the reply is encoded into rep_buf, *rep_len = its size, the
 * handler's status is stored in *svc_status and IPC_OK is returned.
 */
""".removeprefix("\n"))
    w.call(f"enum ipc_status {s.service}_dispatch", dispatch_params(s), ";")
    w(f"""
/* Transport metadata, one entry per op in schema order. */
extern const struct ipc_op_meta {s.service}_ops[];
extern const size_t {s.service}_ops_count;

#endif""")
    return w.text()


def emit_decoder(w, s, op, kind):
    msg = getattr(op, kind)
    name = f"{s.service}_{op.name}_{kind}"
    body = validator_body(s.service, msg)
    if body:
        w(f"\nstatic bool {name}_valid(const struct {name} *m)\n{{")
        for stmt in body:
            for ln in stmt:
                w(ln, 1)
        w("\treturn true;\n}")
    w()
    w.call(f"enum ipc_status {name}_decode", decode_params(s, op, kind))
    w("{")
    if not msg.members:
        w("\t(void)buf;\n\treturn len == 0 ? IPC_OK : IPC_E_BAD_LEN;\n}")
        return
    w("\tif (len != sizeof *out)\n\t\treturn IPC_E_BAD_LEN;")
    w("\tmemcpy(out, buf, sizeof *out);")
    if body:
        w(f"\tif (!{name}_valid(out)) {{\n\t\tmemset(out, 0, sizeof *out);"
          "\n\t\treturn IPC_E_BAD_FIELD;\n\t}")
    w("\treturn IPC_OK;\n}")


def emit_stub(w, s, op):
    p = f"{s.service}_{op.name}"
    w()
    w.call(f"enum ipc_status {p}", stub_params(s, op))
    w("{")
    if op.req.members:
        w(f"\tuint8_t req_buf[sizeof(struct {p}_req)];")
    if op.rep.members:
        w(f"\tuint8_t rep_buf[sizeof(struct {p}_rep)];")
    w("\tsize_t rep_len = 0;\n\tenum ipc_status rc;\n")
    if op.req.members:
        w("\tmemcpy(req_buf, req, sizeof req_buf);")
    req_args = ["req_buf", "sizeof req_buf"] if op.req.members else ["NULL", "0"]
    rep_args = ["rep_buf", "sizeof rep_buf"] if op.rep.members else ["NULL", "0"]
    w.call("rc = ipc_call", [s.service_enum, f"{s.service.upper()}_OP_{op.name.upper()}",
                             *req_args, *rep_args, "&rep_len", "svc_status"], ";", 1)
    w("\tif (rc != IPC_OK)\n\t\treturn rc;")
    decode = f"{p}_rep_decode(rep_buf, rep_len, rep)" if op.rep.members \
        else f"{p}_rep_decode(NULL, rep_len)"
    w(f"\treturn {decode} == IPC_OK ? IPC_OK : IPC_E_BAD_REPLY;\n}}")


def emit_serve(w, s, op):
    p = f"{s.service}_{op.name}"
    w()
    w.call(f"static enum ipc_status {s.service}_serve_{op.name}",
           [f"struct {s.service}_state *st"] + serve_params(op))
    w("{")
    if op.req.members:
        w(f"\tstruct {p}_req req;")
    if op.rep.members:
        w(f"\tstruct {p}_rep rep;")
    w("\tenum ipc_status rc;\n")
    w(f"\trc = {p}_req_decode(msg, len{', &req' if op.req.members else ''});")
    w("\tif (rc != IPC_OK)\n\t\treturn rc;")
    args = ["st"]
    if op.req.members:
        args.append("&req")
    if op.rep.members:
        w("\tif (rep_cap < sizeof rep)\n\t\treturn IPC_E_BAD_REPLY;")
        w("\tmemset(&rep, 0, sizeof rep);")
        args.append("&rep")
    w.call(f"*svc_status = {s.service}_handle_{op.name}", args, ";", 1)
    if op.rep.members:
        w("\tmemcpy(rep_buf, &rep, sizeof rep);\n\t*rep_len = sizeof rep;")
    else:
        w("\t*rep_len = 0;")
    w("\treturn IPC_OK;\n}")


def emit_source(s):
    w = Writer()
    w(f"/* generated from {s.path} by tools/ipcgen.py; do not edit */")
    w(f"#include <string.h>\n\n#include <ipc/{s.service}.h>")
    # all_zero checks padding and granule_ref.rsvd; lease_fwd's reserved words are compared to 0
    uses_zero = any(m.type is None or m.type.kind == "granule_ref"
                    for op in s.ops for msg in (op.req, op.rep) for m in msg.members)
    if uses_zero:
        w("\n/* Padding and reserved members must be zero. */")
        w(f"static bool {s.service}_all_zero(const uint8_t *p, size_t n)\n{{")
        w("\tfor (size_t i = 0; i < n; i++) {\n\t\tif (p[i] != 0)\n\t\t\treturn false;\n\t}")
        w("\treturn true;\n}")
    for op in s.ops:
        w(f"\n/* ---- op {op.name} ({op.id}) ---- */")
        emit_decoder(w, s, op, "req")
        emit_decoder(w, s, op, "rep")
        emit_stub(w, s, op)
    S = s.service.upper()
    w(f"\n/* ---- server side ---- */\n#ifndef {S}_CLIENT_ONLY")
    for op in s.ops:
        emit_serve(w, s, op)
    w()
    w.call(f"enum ipc_status {s.service}_dispatch", dispatch_params(s))
    w("{")
    if not any(op.rep.members for op in s.ops):
        w("\t(void)rep_buf;\n\t(void)rep_cap;")
    w("\tswitch (op) {")
    for op in s.ops:
        w(f"case {S}_OP_{op.name.upper()}:", 1)
        w.call(f"return {s.service}_serve_{op.name}", serve_args(op), ";", 2)
    w("\tdefault:\n\t\treturn IPC_E_BAD_OP;\n\t}\n}")
    w(f"\nconst struct ipc_op_meta {s.service}_ops[] = {{")
    for op in s.ops:
        w("{", 1)
        w(f".op = {S}_OP_{op.name.upper()},", 2)
        for kind in ("req", "rep"):
            size = f"sizeof({struct_name(s, op, kind)})" if getattr(op, kind).members else "0"
            w(f".{kind}_len = {size},", 2)
        w(f".ref_count = {len(op.req.fields('granule_ref'))},", 2)
        w(f".fwd_count = {len(op.req.fields('lease_fwd'))},", 2)
        for key, kind in (("ref_off", "granule_ref"), ("fwd_off", "lease_fwd")):
            fs = op.req.fields(kind)
            if fs:
                w(f".{key} = {{ {', '.join(str(m.offset) for m in fs)} }},\t"
                  f"/* {', '.join(m.name for m in fs)} */", 2)
        w(f".grant_mask = {hex(op.grant_mask)}u,", 2)
        w("},", 1)
    w("};")
    w(f"const size_t {s.service}_ops_count = sizeof {s.service}_ops / sizeof {s.service}_ops[0];")
    w(f"#endif /* {S}_CLIENT_ONLY */")
    return w.text()


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
        sys.exit(f"usage: {argv[0]} <schema.toml> <outdir>")
    try:
        max_msg, max_refs, services = read_ipc_h()
        s = load(argv[1], max_msg, max_refs, services)
    except SchemaError as e:
        sys.exit(f"ipcgen: error: {e}")
    out = Path(argv[2]) / "ipc"
    write_if_changed(out / f"{s.service}.h", emit_header(s))
    write_if_changed(out / f"{s.service}.c", emit_source(s))


if __name__ == "__main__":
    main(sys.argv)
