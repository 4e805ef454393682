#!/usr/bin/python3
"""Count unsafe sites (U1..U13 of docs/safety.md) in C and assembly sources.

Usage (from the project root):
    unsafe_audit.py [options] SOURCE... [-- COMPILER-FLAG...]

Every .c source is parsed with libclang (python3-clang-14) using the real build
flags given after `--`, for --target=aarch64-linux-gnu; flags clang rejects are
dropped. .S sources are scanned line by line. A site is counted once where it is
written (file:line:col:category), so a header included by many sources, or a
macro expanded many times, counts once. Headers outside --root (picolibc, the
compiler's headers) are not counted; a site written in such a header's macro
counts where the project expands it.

Categories:
    U1  inline asm statement (also file-scope asm)
    U2  instruction line of a .S file (not blank/comment/label-only/directive/
        preprocessor; `label: insn` counts; a macro invocation counts)
    U3  explicit cast integer -> pointer (literal 0 and other null constants excluded)
    U4  explicit cast pointer -> integer
    U5  explicit cast between pointers to different non-void, non-function types
        (qualifiers ignored)
    U6  explicit cast from or to a function pointer (other than to its own type)
    U7  union definition (also anonymous)
    U8  definition of a non-const object with static storage duration
    U9  memcpy/memset/memmove whose pointer argument derives from an integer cast
        (in the argument itself, or in what a variable it names is initialised
        or assigned with in the same function; calls are not followed)
    U10 explicit cast to pointer-to-volatile, or a dereference (*p, p[i], p->f)
        that yields a volatile lvalue; a dereference of such a cast is not
        counted a second time
    U11 variadic function definition
    U12 `section` attribute
    U13 pointer +/- integer: binary + and -, += and -=, ++ and -- on a pointer
        (array subscripts and pointer differences do not count)
Implicit conversions are never sites (U10 dereferences aside).

SAFETY comments: each site needs a comment containing "SAFETY:" on the site's
line, or ending on the line before it. In addition, a site written inside a
macro definition may use the comment before the `#define` line, and a section
attribute the comment before the declaration it is attached to. In a .S file a
SAFETY comment covers the instruction lines after it up to the next blank line.

Budgets (--budgets FILE.toml, see tools/audit-budgets.toml) cap the counts per
top-level directory and project-wide, and restrict categories to allow-listed
files. Exit status: 0 clean, 1 a budget, allow-list or SAFETY violation,
2 usage or parse error.
"""

import argparse
import json
import os
import re
import sys
import textwrap
import tomllib
from dataclasses import dataclass

try:
    import clang.cindex as ci
except ImportError:
    sys.exit("unsafe_audit: cannot import clang.cindex; run with /usr/bin/python3 "
             "(Debian package python3-clang-14)")

CATEGORIES = {
    "U1": "inline asm statement",
    "U2": ".S instruction line",
    "U3": "int->pointer cast",
    "U4": "pointer->int cast",
    "U5": "pointer->pointer cast",
    "U6": "function-pointer cast",
    "U7": "union definition",
    "U8": "mutable static object",
    "U9": "mem* on int-derived address",
    "U10": "volatile cast/dereference",
    "U11": "variadic definition",
    "U12": "section attribute",
    "U13": "pointer arithmetic",
}

# libclang shared objects to try, first match wins (Debian's llvm-14 layout).
LIBCLANG_CANDIDATES = (
    "/usr/lib/llvm-14/lib/libclang.so.1",
    "/usr/lib/llvm-14/lib/libclang-14.so.1",
    "/usr/lib/x86_64-linux-gnu/libclang-14.so.1",
)

TARGET_FLAG = "--target=aarch64-linux-gnu"
# Build-only flags that must not reach libclang: dependency files would be
# written next to the sources, and -Werror would turn clang-only warnings into
# parse failures.
DROP_FLAGS = {"-MMD", "-MD", "-MP", "-c", "-Werror"}
DROP_FLAGS_WITH_ARG = {"-MF", "-MT", "-MQ", "-o"}
# Driver errors naming a flag clang does not accept.
REJECTED_FLAG_RE = re.compile(r"(?:unknown argument|unsupported option):? '([^']+)'")

MEMFUNCS = {"memcpy", "memset", "memmove",
            "__builtin_memcpy", "__builtin_memset", "__builtin_memmove"}
# Pointer argument positions of each mem* function.
MEMFUNC_PTR_ARGS = {"memset": (0,), "__builtin_memset": (0,)}
ASM_KEYWORDS = {"asm", "__asm__", "__asm"}
SECTION_ATTRS = {"section", "__section__"}
ZERO_LITERAL_RE = re.compile(r"(?:0[xX])?0+[uUlL]*")
QUALIFIER_RE = re.compile(r"\b(?:const|volatile|restrict)\b")
# A leading `label:` or numeric `1:` in an assembly line.
ASM_LABEL_RE = re.compile(r"(?:[A-Za-z_.$][\w.$]*|\d+):")
DEFINE_RE = re.compile(r"\s*#\s*define\b")

K = ci.CursorKind
T = ci.TypeKind
INTEGER_KINDS = {
    T.BOOL, T.CHAR_U, T.UCHAR, T.CHAR16, T.CHAR32, T.USHORT, T.UINT, T.ULONG,
    T.ULONGLONG, T.UINT128, T.CHAR_S, T.SCHAR, T.WCHAR, T.SHORT, T.INT, T.LONG,
    T.LONGLONG, T.INT128, T.ENUM,
}
ARRAY_KINDS = {T.CONSTANTARRAY, T.INCOMPLETEARRAY, T.VARIABLEARRAY, T.DEPENDENTSIZEDARRAY}
FUNCTION_KINDS = {T.FUNCTIONPROTO, T.FUNCTIONNOPROTO}


class AuditError(Exception):
    """A problem that prevents a trustworthy count (bad input, parse error)."""


@dataclass
class Site:
    path: str      # relative to the project root
    line: int
    col: int
    cat: str
    safety: bool   # a SAFETY: comment covers it

    @property
    def key(self):
        return (self.path, self.line, self.col, self.cat)


def top_dir(path):
    """Top-level directory a project-relative path is budgeted under."""
    return path.split("/", 1)[0] if "/" in path else "."


def parse_category_key(key):
    """Budget-file key 'U3' or 'U3+U4' -> list of categories."""
    cats = key.split("+")
    for cat in cats:
        if cat not in CATEGORIES:
            raise AuditError(f"unknown category '{cat}' in budget key '{key}'")
    return cats


# ---------------------------------------------------------------- source text

class SourceText:
    """A source file split into lines, with its comments located.

    `code[i]` is line i+1 with comments blanked out (strings kept), and
    `safety_span` holds every line touched by a comment containing "SAFETY:".
    """

    def __init__(self, text):
        self.raw = text.split("\n")
        self.safety_span = set()
        code = []
        i, n, line = 0, len(text), 1
        while i < n:
            if text.startswith("//", i) or text.startswith("/*", i):
                if text[i + 1] == "/":
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                else:
                    end = text.find("*/", i + 2)
                    end = n if end < 0 else end + 2
                comment = text[i:end]
                if "SAFETY:" in comment:
                    self.safety_span.update(range(line, line + comment.count("\n") + 1))
                # Blank the comment but keep its newlines, so lines stay aligned.
                code.append(re.sub(r"[^\n]", " ", comment))
                line += comment.count("\n")
                i = end
            elif text[i] in "\"'":
                # String or character literal: may contain // or /*; ends at its
                # closing quote or, if unterminated, at the end of the line.
                end = i + 1
                while end < n and text[end] not in (text[i], "\n"):
                    end += 2 if text[end] == "\\" else 1
                end = min(end + 1, n) if end < n and text[end] == text[i] else end
                code.append(text[i:end])
                line += text.count("\n", i, end)   # backslash-newline inside
                i = end
            else:
                code.append(text[i])
                line += text[i] == "\n"
                i += 1
        self.code = "".join(code).split("\n")

    def covered(self, line):
        """A SAFETY comment touches this line or ends on the line before."""
        return line in self.safety_span or line - 1 in self.safety_span

    def define_start(self, line):
        """First line of the #define whose continuation lines include `line`, or None."""
        first = line
        while first > 1 and self.raw[first - 2].rstrip().endswith("\\"):
            first -= 1
        if first != line and DEFINE_RE.match(self.code[first - 1]):
            return first
        return None

    def c_site_safe(self, line, decl_line=None):
        """SAFETY rule for C sites (see the module docstring)."""
        macro = self.define_start(line)
        return (self.covered(line) or (macro is not None and self.covered(macro))
                or (decl_line is not None and self.covered(decl_line)))

    def asm_paragraph_safe(self, line):
        """SAFETY rule for .S lines: a SAFETY comment earlier in the same paragraph."""
        while line >= 1:
            if line in self.safety_span:
                return True
            if not self.raw[line - 1].strip():
                return False
            line -= 1
        return False


# ---------------------------------------------------------------- types

def canon(t):
    return t.get_canonical()


def is_int(t):
    return canon(t).kind in INTEGER_KINDS


def is_ptr(t):
    return canon(t).kind == T.POINTER


def pointee(t):
    return canon(canon(t).get_pointee())


def is_fn_ptr(t):
    return is_ptr(t) and pointee(t).kind in FUNCTION_KINDS


def bare(t):
    """Canonical spelling of a type with every const/volatile/restrict removed."""
    return " ".join(QUALIFIER_RE.sub(" ", canon(t).spelling).split())


def is_static_mutable(var):
    """VAR_DECL: a non-const object with static storage duration, not a mere extern declaration."""
    storage = var.storage_class
    if storage == ci.StorageClass.EXTERN and not any(c.kind.is_expression() for c in var.get_children()):
        return False
    if var.semantic_parent.kind != K.TRANSLATION_UNIT and storage != ci.StorageClass.STATIC:
        return False
    # An array is const when its elements are; a canonical array type may
    # carry the const itself or leave it on the element type.
    t = canon(var.type)
    while not t.is_const_qualified() and t.kind in ARRAY_KINDS:
        t = canon(t.element_type)
    return not t.is_const_qualified()


# ---------------------------------------------------------------- auditing

class Auditor:
    """Collects the sites of every input, each counted once where it is written."""

    def __init__(self, root, cflags):
        self.root = os.path.realpath(root)
        self.flags = build_only_flags_removed(cflags)
        self.dropped = []           # flags removed because clang rejected them
        self.index = ci.Index.create()
        self.sites = {}             # Site.key -> Site
        self._texts = {}            # project-relative path -> SourceText
        self._rel = {}              # file name as libclang spells it -> relative path or None

    def relpath(self, path):
        """Project-relative path of a file inside the root, else None."""
        if path not in self._rel:
            real = os.path.realpath(path)
            inside = real.startswith(self.root + os.sep) and os.path.isfile(real)
            rel = os.path.relpath(real, self.root) if inside else None
            # third-party sources unpacked under build/ are not the project's sites
            if rel is not None and rel.startswith(os.path.join("build", "third_party") + os.sep):
                rel = None
            self._rel[path] = rel
        return self._rel[path]

    def text(self, rel):
        if rel not in self._texts:
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                self._texts[rel] = SourceText(f.read())
        return self._texts[rel]

    def add(self, site):
        """Record a site; a site seen again (another TU) is covered if either sighting is."""
        old = self.sites.get(site.key)
        if old is not None:
            old.safety = old.safety or site.safety
        else:
            self.sites[site.key] = site

    def audit(self, path):
        """Add the sites of one .c or .S file (and of the project headers it includes)."""
        if self.relpath(path) is None:
            raise AuditError(f"{path}: not a file inside the project root {self.root}")
        if path.endswith(".S"):
            self.audit_asm(path)
        else:
            TranslationUnitWalker(self, self.parse(path)).run()

    def audit_asm(self, path):
        """U2: one site per instruction line of a .S file."""
        rel = self.relpath(path)
        text = self.text(rel)
        continued = False       # inside a backslash-continued preprocessor directive
        for n, code in enumerate(text.code, 1):
            stripped = code.strip()
            preprocessor = continued or stripped.startswith("#")
            continued = preprocessor and stripped.endswith("\\")
            if preprocessor:
                continue
            while (m := ASM_LABEL_RE.match(stripped)):
                stripped = stripped[m.end():].lstrip()
            if stripped and not stripped.startswith("."):
                col = len(code) - len(code.lstrip()) + 1
                self.add(Site(rel, n, col, "U2", text.asm_paragraph_safe(n)))

    def parse(self, path):
        """Parse a C file; drop flags the clang driver rejects and retry."""
        while True:
            try:
                tu = self.index.parse(path, args=[TARGET_FLAG, "-x", "c"] + self.flags)
            except ci.TranslationUnitLoadError as e:
                raise AuditError(f"{path}: libclang failed on it ({e}); flags: "
                                 + " ".join(self.flags)) from e
            errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
            rejected = {m.group(1) for d in errors if d.location.file is None
                        for m in [REJECTED_FLAG_RE.search(d.spelling)] if m}
            rejected &= set(self.flags)
            if not rejected:
                break
            self.flags = [f for f in self.flags if f not in rejected]
            self.dropped += sorted(rejected)
        if errors:
            shown = "\n  ".join(str(d) for d in errors[:10])
            raise AuditError(f"{path}: clang cannot parse it with the given flags:\n  {shown}")
        return tu


def build_only_flags_removed(cflags):
    """The compiler flags without those that only make sense for a real build."""
    out, skip = [], False
    for flag in cflags:
        if skip:
            skip = False
        elif flag in DROP_FLAGS_WITH_ARG:
            skip = True
        elif flag not in DROP_FLAGS and not flag.startswith("-Werror="):
            out.append(flag)
    return out


class TranslationUnitWalker:
    """Finds the sites of one parsed translation unit (U1, U3..U13)."""

    def __init__(self, auditor, tu):
        self.auditor = auditor
        self.tu = tu
        self.function = None    # the function definition being walked

    def run(self):
        for top in self.tu.cursor.get_children():
            # Declarations of system headers are skipped whole; a project
            # declaration is walked even where system macros built it.
            if top.location.file and self.auditor.relpath(top.location.file.name):
                self.visit(top, None)

    # -- locations

    def spelled_token(self, loc):
        """The token written at loc (inside a macro definition if loc comes from one)."""
        # libclang 14's spelling-location API returns the expansion point for
        # macro bodies, but clang_tokenize lexes at the true spelling location.
        tokens = list(ci.TokenGroup.get_tokens(self.tu, ci.SourceRange.from_locations(loc, loc)))
        return tokens[0] if tokens else None

    def where(self, loc):
        """(path, line, col) where the code at loc is written, if inside the project.

        A site spelled in a system header's macro is placed where the project
        expands it; one in a token paste is placed at its expansion too.
        """
        token = self.spelled_token(loc)
        if token is not None and token.location.file is not None:
            rel = self.auditor.relpath(token.location.file.name)
            if rel is not None:
                return rel, token.location.line, token.location.column
        if loc.file is not None:
            rel = self.auditor.relpath(loc.file.name)
            if rel is not None:
                return rel, loc.line, loc.column
        return None

    def site(self, cursor, cat, decl=None, loc=None):
        """Record a site at cursor's first token, or at loc (its operator token).

        decl: the declaration the site belongs to (for a section attribute).
        """
        at = self.where(loc if loc is not None else cursor.extent.start)
        if at is None:
            return
        rel, line, col = at
        decl_line = None
        if decl is not None:
            decl_at = self.where(decl.extent.start)
            if decl_at is not None and decl_at[0] == rel and decl_at[1] <= line:
                decl_line = decl_at[1]
        safe = self.auditor.text(rel).c_site_safe(line, decl_line)
        self.auditor.add(Site(rel, line, col, cat, safe))

    # -- walk

    def visit(self, c, parent):
        k = c.kind
        if k == K.ASM_STMT or (k == K.UNEXPOSED_DECL and self.first_word(c) in ASM_KEYWORDS):
            self.site(c, "U1")
        elif k == K.CSTYLE_CAST_EXPR:
            self.cast(c)
        elif k == K.UNION_DECL and c.is_definition():
            self.site(c, "U7")
        elif k == K.VAR_DECL and is_static_mutable(c):
            self.site(c, "U8")
        elif k == K.CALL_EXPR and c.spelling in MEMFUNCS:
            self.mem_call(c)
        elif k == K.FUNCTION_DECL and c.is_definition() and \
                canon(c.type).kind == T.FUNCTIONPROTO and c.type.is_function_variadic():
            self.site(c, "U11")
        elif k == K.UNEXPOSED_ATTR and self.first_word(c) in SECTION_ATTRS:
            self.site(c, "U12", decl=parent)
        elif k == K.UNARY_OPERATOR:
            self.unary(c)
        elif k in (K.ARRAY_SUBSCRIPT_EXPR, K.MEMBER_REF_EXPR):
            self.volatile_deref(c)
        elif k in (K.BINARY_OPERATOR, K.COMPOUND_ASSIGNMENT_OPERATOR):
            self.pointer_arith(c)
        outer = self.function
        if k == K.FUNCTION_DECL and c.is_definition():
            self.function = c
        for child in c.get_children():
            self.visit(child, c)
        self.function = outer

    def first_word(self, c):
        token = self.spelled_token(c.extent.start)
        return token.spelling if token is not None else None

    # -- expressions

    @staticmethod
    def operand(e):
        """The (last) sub-expression of a cast, paren, implicit cast or unary operator."""
        exprs = [x for x in e.get_children() if x.kind.is_expression()]
        return exprs[-1] if exprs else None

    def strip(self, e, int_casts=False):
        """Look through parentheses, implicit casts and (optionally) casts to integer types."""
        while e.kind in (K.PAREN_EXPR, K.UNEXPOSED_EXPR) or \
                (int_casts and e.kind == K.CSTYLE_CAST_EXPR and is_int(e.type)):
            inner = self.operand(e)
            if inner is None:
                break
            e = inner
        return e

    def is_null_constant(self, e):
        """A literal zero, possibly parenthesised or cast to an integer type."""
        e = self.strip(e, int_casts=True)
        return e.kind == K.INTEGER_LITERAL and \
            ZERO_LITERAL_RE.fullmatch(self.first_word(e) or "") is not None

    def int_to_pointer(self, cast):
        operand = self.operand(cast)
        return operand is not None and is_ptr(cast.type) and is_int(operand.type) and \
            not self.is_null_constant(operand)

    def adds_volatile(self, cast):
        """Explicit cast to pointer-to-volatile, other than a no-op cast."""
        operand = self.operand(cast)
        if operand is None or not is_ptr(cast.type) or not pointee(cast.type).is_volatile_qualified():
            return False
        same = is_ptr(operand.type) and pointee(operand.type).is_volatile_qualified() and \
            bare(operand.type) == bare(cast.type)
        return not same

    def cast(self, c):
        operand = self.operand(c)
        if operand is None or canon(c.type).kind == T.VOID:     # (void)x discards x
            return
        src, dst = operand.type, c.type
        if self.int_to_pointer(c):
            self.site(c, "U3")
        if is_ptr(src) and is_int(dst):
            self.site(c, "U4")
        if (is_fn_ptr(src) or is_fn_ptr(dst)) and bare(src) != bare(dst):
            self.site(c, "U6")
        if is_ptr(src) and is_ptr(dst):
            a, b = pointee(src), pointee(dst)
            plain = all(t.kind != T.VOID and t.kind not in FUNCTION_KINDS for t in (a, b))
            if plain and bare(a) != bare(b):
                self.site(c, "U5")
        if self.adds_volatile(c):
            self.site(c, "U10")

    def mem_call(self, call):
        """U9: a pointer argument of memcpy/memset/memmove comes from an int->pointer cast."""
        args = list(call.get_arguments())
        positions = MEMFUNC_PTR_ARGS.get(call.spelling, (0, 1))
        if any(i < len(args) and self.derives_from_int_cast(args[i], set()) for i in positions):
            self.site(call, "U9")

    def derives_from_int_cast(self, e, seen):
        """e contains an int->pointer cast, or names a variable a value with one is stored in."""
        for n in e.walk_preorder():
            if n.kind == K.CSTYLE_CAST_EXPR and self.int_to_pointer(n):
                return True
            if n.kind == K.DECL_REF_EXPR:
                var = n.referenced
                if var is not None and var.kind == K.VAR_DECL and var.hash not in seen:
                    seen.add(var.hash)
                    if any(self.derives_from_int_cast(v, seen) for v in self.stored_values(var)):
                        return True
        return False

    def stored_values(self, var):
        """var's initializer, and x of each `var = x` in the function being walked."""
        values = [x for x in var.get_children() if x.kind.is_expression()]
        if self.function is None:
            return values
        for n in self.function.walk_preorder():
            exprs = [x for x in n.get_children() if x.kind.is_expression()]
            if n.kind == K.BINARY_OPERATOR and len(exprs) == 2:
                target = self.strip(exprs[0])
                if target.kind == K.DECL_REF_EXPR and target.referenced == var and \
                        self.infix_token(*exprs, ("=",)) is not None:
                    values.append(exprs[1])
        return values

    def unary(self, c):
        """++/-- on a pointer (U13), or *p (a U10 candidate); told apart by types."""
        operand = self.operand(c)
        if operand is None or not is_ptr(operand.type):
            return
        if bare(c.type) == bare(operand.type):
            self.site(c, "U13")
        elif bare(c.type) == bare(pointee(operand.type)):
            self.volatile_deref(c, operand)

    def volatile_deref(self, c, base=None):
        """U10: *p, p[i] or p->f yielding a volatile lvalue (once per expression)."""
        if not canon(c.type).is_volatile_qualified():
            return
        exprs = [x for x in c.get_children() if x.kind.is_expression()]
        loc = None      # where the operator is written, if not at the start
        if c.kind == K.ARRAY_SUBSCRIPT_EXPR and len(exprs) == 2:
            base = next((x for x in exprs if is_ptr(x.type)), None)
            bracket = self.infix_token(*exprs, ("[",))
            loc = bracket.location if bracket is not None else None
        elif c.kind == K.MEMBER_REF_EXPR and exprs and is_ptr(exprs[0].type):   # p->f, not s.f
            base = exprs[0]
            loc = c.location        # the member name
        if base is None:
            return
        inner = self.strip(base)
        if inner.kind == K.CSTYLE_CAST_EXPR and self.adds_volatile(inner):
            return      # already counted as the cast to pointer-to-volatile
        self.site(c, "U10", loc=loc)

    def pointer_arith(self, c):
        """U13: pointer + integer, integer + pointer, pointer - integer, p += n, p -= n."""
        exprs = [x for x in c.get_children() if x.kind.is_expression()]
        if len(exprs) != 2:
            return
        lhs, rhs = exprs
        if c.kind == K.COMPOUND_ASSIGNMENT_OPERATOR:
            hit = is_ptr(lhs.type) and is_int(rhs.type)     # only += and -= allow this
        else:
            hit = is_ptr(c.type) and ((is_ptr(lhs.type) and is_int(rhs.type)) or
                                      (is_int(lhs.type) and is_ptr(rhs.type)))
            # The comma operator has the same operand and result types as
            # `n + p`; its token tells them apart.
            hit = hit and self.infix_token(lhs, rhs, (",",)) is None
        if hit:
            op = self.infix_token(lhs, rhs, ("+", "-", "+=", "-="))
            self.site(c, "U13", loc=op.location if op is not None else None)

    def infix_token(self, lhs, rhs, spellings):
        """The token just before rhs if it is one of spellings, else None.

        Read from where lhs and rhs are written, so it also finds an operator
        written between two macro expansions; None when it cannot be read.
        """
        tokens = list(ci.TokenGroup.get_tokens(
            self.tu, ci.SourceRange.from_locations(lhs.extent.start, rhs.extent.start)))
        if len(tokens) >= 2 and tokens[-2].spelling in spellings:
            return tokens[-2]
        return None


# ---------------------------------------------------------------- budgets

@dataclass
class Budgets:
    project: list   # [(categories, maximum)]: project-wide sums
    dirs: dict      # top-level dir -> [(categories, maximum)]
    allow: dict     # category -> set of files where it may appear


def limits(table, rest_default):
    """[(categories, maximum)] from a budget table; '*' covers the categories not named."""
    out, named = [], set()
    for key, value in table.items():
        if key != "*":
            cats = parse_category_key(key)
            named.update(cats)
            out.append((cats, int(value)))
    rest = table.get("*", rest_default)
    if rest is not None:
        out += [([cat], int(rest)) for cat in CATEGORIES if cat not in named]
    return out


def load_budgets(path):
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise AuditError(f"budgets file {path}: {e}") from e
    unknown = set(data) - {"project", "dirs", "allow"}
    if unknown:
        raise AuditError(f"budgets file {path}: unknown table(s) {', '.join(sorted(unknown))}")
    allow = {}
    for key, files in data.get("allow", {}).items():
        for cat in parse_category_key(key):
            allow[cat] = set(files)
    # Project-wide limits exist only where named; a directory limits every
    # category, 0 unless its table says otherwise.
    return Budgets(project=limits(data.get("project", {}), None),
                   dirs={d: limits(t, 0) for d, t in data.get("dirs", {}).items()},
                   allow=allow)


# ---------------------------------------------------------------- report

def tally(sites, group):
    """{group(site): {category: count}} over the given sites."""
    out = {}
    for s in sites:
        row = out.setdefault(group(s), dict.fromkeys(CATEGORIES, 0))
        row[s.cat] += 1
    return out


def check(sites, budgets):
    """(problems, notes): violations make the audit fail; notes are budgets that can go down."""
    problems, notes = [], []
    asm_lines = {}      # .S file -> its instruction lines without SAFETY, reported together
    for s in sites:
        if s.safety:
            continue
        if s.cat == "U2":
            asm_lines.setdefault(s.path, []).append(s.line)
        else:
            problems.append(f"missing SAFETY: {s.path}:{s.line}:{s.col}: {s.cat} "
                            f"({CATEGORIES[s.cat]}) has no SAFETY: comment on its line or the line before")
    for path, lines in sorted(asm_lines.items()):
        problems.append(f"missing SAFETY: {path}: {len(lines)} U2 ({CATEGORIES['U2']}s) have no "
                        f"SAFETY: comment earlier in their paragraph, lines {line_ranges(lines)}")
    if budgets is None:
        return problems, notes
    for s in sites:
        allowed = budgets.allow.get(s.cat)
        if allowed is not None and s.path not in allowed:
            where = ", ".join(sorted(allowed)) or "no file"
            problems.append(f"not allowed here: {s.path}:{s.line}:{s.col}: {s.cat} "
                            f"({CATEGORIES[s.cat]}) is only allowed in {where}")
    totals = tally(sites, lambda s: "project").get("project", dict.fromkeys(CATEGORIES, 0))
    per_dir = tally(sites, lambda s: top_dir(s.path))
    scopes = [("project", budgets.project, totals)]
    for d in sorted(set(per_dir) | set(budgets.dirs)):
        scopes.append((d + "/", budgets.dirs.get(d, limits({}, 0)),
                       per_dir.get(d, dict.fromkeys(CATEGORIES, 0))))
    for scope, table, counts in scopes:
        for cats, maximum in table:
            n = sum(counts[c] for c in cats)
            name = "+".join(cats)
            if n > maximum:
                problems.append(f"over budget: {scope} {name} = {n}, budget {maximum}")
            elif n < maximum:
                notes.append(f"budget can go down: {scope} {name} = {n}, budget {maximum}")
    return problems, notes


def line_ranges(lines):
    """'3-5, 9' for [3, 4, 5, 9]."""
    ranges = []
    for n in sorted(lines):
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def format_table(sites, extra_dirs):
    cats = list(CATEGORIES)
    width = max([len(s.path) for s in sites] + [30]) + 2

    def row(name, counts):
        return f"{name:<{width}}" + "".join(f"{counts[c]:>5}" for c in cats) + \
            f"{sum(counts.values()):>7}"

    header = f"{'':<{width}}" + "".join(f"{c:>5}" for c in cats) + f"{'total':>7}"
    lines = [header, "per file"]
    for name, counts in sorted(tally(sites, lambda s: s.path).items()):
        lines.append(row("  " + name, counts))
    lines.append("per directory")
    per_dir = tally(sites, lambda s: top_dir(s.path))
    for d in sorted(set(per_dir) | set(extra_dirs)):
        lines.append(row(f"  {d}/", per_dir.get(d, dict.fromkeys(CATEGORIES, 0))))
    totals = tally(sites, lambda s: "").get("", dict.fromkeys(CATEGORIES, 0))
    lines.append(row("TOTAL", totals))
    legend = ", ".join(f"{c} {d}" for c, d in CATEGORIES.items())
    lines += textwrap.wrap(legend, width=100, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)


def main(argv):
    cflags = []
    if "--" in argv:
        cut = argv.index("--")
        argv, cflags = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(
        prog="unsafe_audit.py",
        description="Count unsafe sites (docs/safety.md U1..U13); flags after -- go to clang.")
    ap.add_argument("sources", nargs="+", help=".c and .S files to audit")
    ap.add_argument("--root", default=".", help="project root (default: current directory)")
    ap.add_argument("--budgets", help="budget file (TOML) to check the counts against")
    ap.add_argument("--extra", action="append", default=[], metavar="FILE",
                    help="also audit FILE (e.g. a header no source includes); repeatable")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--list", action="store_true", help="also list every site")
    args = ap.parse_args(argv)

    auditor = Auditor(args.root, cflags)
    try:
        for path in args.sources + args.extra:
            auditor.audit(path)
        budgets = load_budgets(args.budgets) if args.budgets else None
    except AuditError as e:
        print(f"unsafe_audit: {e}", file=sys.stderr)
        return 2
    sites = sorted(auditor.sites.values(),
                   key=lambda s: (s.path, s.line, s.col, int(s.cat[1:])))
    problems, notes = check(sites, budgets)
    if auditor.dropped:
        print("unsafe_audit: note: dropped flags clang rejects: " + " ".join(auditor.dropped),
              file=sys.stderr)

    if args.json:
        json.dump({
            "root": auditor.root,
            "categories": CATEGORIES,
            "sites": [vars(s) for s in sites],
            "files": tally(sites, lambda s: s.path),
            "dirs": tally(sites, lambda s: top_dir(s.path)),
            "totals": tally(sites, lambda s: "").get("", dict.fromkeys(CATEGORIES, 0)),
            "problems": problems,
            "notes": notes,
            "dropped_flags": auditor.dropped,
            "ok": not problems,
        }, sys.stdout, indent=1)
        print()
    else:
        print(format_table(sites, budgets.dirs if budgets else ()))
        if args.list:
            print("sites")
            for s in sites:
                mark = "" if s.safety else "   <- no SAFETY"
                print(f"  {s.path}:{s.line}:{s.col}: {s.cat} {CATEGORIES[s.cat]}{mark}")
        for note in notes:
            print(f"note: {note}")
        for problem in problems:
            print(f"FAIL: {problem}")
        print(f"unsafe audit: {'FAIL, ' + str(len(problems)) + ' problem(s)' if problems else 'PASS'}")
    return 1 if problems else 0


def load_libclang():
    for path in LIBCLANG_CANDIDATES:
        if os.path.exists(path):
            ci.Config.set_library_file(path)
            return


load_libclang()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
