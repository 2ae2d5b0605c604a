#!/usr/bin/env python3
"""Docs cannot drift from the code: the fenced blocks of README.md and docs/**/*.md
are checked against lpc, the runtime and the generated headers (docs/contributing.md,
"Docs that are tested").

    docs_test.py schemas LPC SOURCE_DIR WORK_DIR
    docs_test.py cpp     LPC SOURCE_DIR WORK_DIR CXX INCLUDE_DIRS
    docs_test.py outputs LPC SOURCE_DIR WORK_DIR

schemas: a schema block is a fenced block without a language tag whose first line
  that is not a `//` comment starts a declaration (package, import, endian, bitorder,
  const, enum, flags, struct). A block without `package` gets `package docs;`, one
  without `endian` gets `endian big;`; each passes `lpc --check -I schemas`.
cpp: every ```cpp block is compiled with `CXX -std=c++20 -fsyntax-only`, all of them in
  one translation unit (a few seconds in all). `#include` lines move to the top; a block
  that defines a function at column 0 is put in a namespace of its own, any other in a
  function body (`void docs_block()`) of its own namespace, so that statements compile.
  docs_prelude.hpp declares the names blocks take as given (`wire`, `frame`, `handle()`).
  INCLUDE_DIRS (separated by `|`) are lp_schemas' include folders (the runtime, fmt,
  the generated headers of the shipped schemas).
outputs: a block marked `output of: COMMAND` must be what COMMAND prints (stdout and
  stderr), a `session` block holds `$ command` lines each followed by its output.
  Commands run in bash in a scratch folder holding `schemas/` (the shipped schemas) and
  `build/default/codegen/lpc`, with lpc on PATH.

Schema blocks whose first line is `// schemas/<path>.lps` (the getting-started
tutorial's) are also written to `schemas/<path>.lps` in the work folder: cpp blocks
include their generated headers and output commands see them.

Markers are HTML comments on the lines just before a block's opening fence:
    <!-- docs-test: fragment: REASON -->    not checked (for cpp blocks: a reason is due)
    <!-- docs-test: given: DECLARATIONS --> C++ declared before the block's function
    <!-- docs-test: returns: TYPE -->       the block's function returns TYPE, not void
    <!-- docs-test: output of: COMMAND -->  the block is what COMMAND prints
    <!-- docs-test: output of: the block above -->  what the previous block's commands print
    <!-- docs-test: session -->             `$ command` lines, each followed by its output
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

STARTS = {"package", "import", "endian", "bitorder", "const", "enum", "flags", "struct"}
MARKER = re.compile(r"^<!-- docs-test: ([a-z ]+?)(?::\s*(.*?))?\s*-->$")
KEYS = {"fragment", "given", "returns", "output of", "session"}


class Block:
    def __init__(self, page, line, tag, body, markers):
        self.page, self.line, self.tag, self.body, self.markers = page, line, tag, body, markers

    def where(self, source):
        return f"{self.page.relative_to(source).as_posix()}:{self.line}"

    def is_schema(self):
        code = [l for l in self.body if l.strip() and not l.strip().startswith("//")]
        return self.tag == "" and bool(code) and code[0].split()[0].rstrip(";") in STARTS


def blocks(page):
    """Every fenced block of a page, with the markers on the lines before its fence."""
    lines = page.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        markers, k = {}, i - 1
        while k >= 0 and (m := MARKER.match(lines[k].strip())):
            if m.group(1) not in KEYS:
                raise SystemExit(f"{page}:{k + 1}: unknown docs-test marker '{m.group(1)}' "
                                 f"(known: {', '.join(sorted(KEYS))})")
            markers[m.group(1)] = m.group(2) or ""
            k -= 1
        yield Block(page, i + 1, lines[i][3:].strip(), lines[i + 1:end], markers)
        i = end + 1


def pages(source):
    return [source / "README.md"] + sorted((source / "docs").rglob("*.md"))


def all_blocks(source):
    return [b for page in pages(source) for b in blocks(page)]


def schema_text(block):
    text = "\n".join(block.body) + "\n"
    lines = text.split("\n")
    if not any(l.startswith("package ") for l in lines):
        lines = ["package docs;"] + lines
    if not any(l.startswith("endian ") for l in lines):
        # After the package and imports (file options follow them).
        at = next((k for k, l in enumerate(lines)
                   if l.split() and l.split()[0] not in ("package", "import")
                   and not l.startswith("//")), len(lines))
        lines = lines[:at] + ["endian big;"] + lines[at:]
    return "\n".join(lines)


def schema_files(source, work):
    """A folder holding the shipped schemas and the docs' `// schemas/<path>.lps` files."""
    folder = work / "schemas"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source / "schemas", folder, ignore=shutil.ignore_patterns("*.txt"))
    named = []
    for block in all_blocks(source):
        first = block.body[0].strip() if block.body else ""
        # A block naming a shipped schema is an excerpt of it: the file stays.
        if block.is_schema() and re.fullmatch(r"// schemas/[\w/]+\.lps", first) and \
                not (source / first[len("// "):]).exists():
            path = folder / first[len("// schemas/"):]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(block.body) + "\n", encoding="utf-8")
            named.append(path)
    return folder, named


def check_schemas(lpc, source, work):
    failures, checked = [], 0
    for block in all_blocks(source):
        if not block.is_schema() or "fragment" in block.markers:
            continue
        schema = work / (block.where(source).replace("/", "_").replace(":", "_") + ".lps")
        schema.write_text(schema_text(block), encoding="utf-8")
        run = subprocess.run([lpc, "--check", "--color", "never", "-I", str(source / "schemas"),
                              str(schema)], capture_output=True, text=True)
        checked += 1
        if run.returncode != 0:
            failures.append(f"{block.where(source)}: the schema block does not pass lpc --check "
                            f"(mark a fragment with <!-- docs-test: fragment: REASON -->):\n"
                            f"{run.stderr}")
    return checked, 0, failures


FUNCTION_AT_TOP = re.compile(r"^[A-Za-z_][\w:<>,*& ]*\s[\w:~]+\(.*\)[\w\s&]*\{\s*(//.*)?$")


ELISION = re.compile(r"^(\s*)\.\.\.(\s*//.*)?$|\{ \.\.\. \}")


def elided(line):
    """`...` alone on a line, or `{ ... }`, stands for code the page leaves out."""
    return ELISION.sub(lambda m: (m.group(1) or "") + "/* ... */" if m.group(0).lstrip()
                       .startswith("...") else "{ /* ... */ }", line)


def translation_unit(source, cpp):
    """One C++ file holding every block, each in a namespace of its own."""
    includes = ['#include "docs_prelude.hpp"']
    lines = []
    for n, block in enumerate(cpp):
        includes += [l for l in block.body if l.startswith("#include")]
        at_top = any(FUNCTION_AT_TOP.match(l) and not l.startswith(("if ", "for ", "while "))
                     for l in block.body)
        lines += [f"// {block.where(source)}", f"namespace docs_given::docs_block_{n} {{"]
        if "given" in block.markers:
            lines.append(block.markers["given"])
        if not at_top:
            lines.append(f"[[maybe_unused]] {block.markers.get('returns', 'void')} docs_block() {{")
        # Diagnostics name the page and line; an #include moved to the top leaves a blank.
        lines.append(f'#line {block.line + 1} "{block.where(source).split(":")[0]}"')
        lines += ["" if l.startswith("#include") else elided(l) for l in block.body]
        lines += ["}"] * (1 if at_top else 2)
    return "\n".join(list(dict.fromkeys(includes)) + lines) + "\n"


def check_cpp(lpc, source, work, cxx, include_dirs):
    cpp = [b for b in all_blocks(source) if b.tag == "cpp"]
    skipped = [b for b in cpp if "fragment" in b.markers]
    failures = [f"{b.where(source)}: a C++ fragment needs a reason: "
                f"<!-- docs-test: fragment: REASON -->" for b in skipped if not b.markers["fragment"]]
    compiled = [b for b in cpp if "fragment" not in b.markers]
    schemas, named = schema_files(source, work)
    generated = work / "generated"
    if generated.exists():
        shutil.rmtree(generated)
    if named:
        run = subprocess.run([lpc, "--all", "-I", str(schemas), "-o", str(generated)]
                             + [str(p) for p in named], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"lpc on the docs' schema files failed:\n{run.stderr}")
    unit = work / "docs_blocks.cpp"
    unit.write_text(translation_unit(source, compiled), encoding="utf-8")
    # An ignored lp::Result in a page is a bug the reader copies.
    flags = ["-std=c++20", "-fsyntax-only", "-fdiagnostics-color=never", "-Werror=unused-result",
             "-I", str(pathlib.Path(__file__).parent), "-I", str(generated),
             "-I", str(source / "examples" / "lpdns")]
    flags += [f"-I{d}" for d in include_dirs.split("|") if d]
    start = time.monotonic()
    run = subprocess.run([cxx] + flags + [str(unit)], capture_output=True, text=True,
                         cwd=source)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        failures.append(f"the C++ blocks do not compile ({unit}; each error names the page "
                        f"and line; mark a block that cannot compile on purpose with "
                        f"<!-- docs-test: fragment: REASON -->):\n{run.stderr}")
    print(f"{len(compiled)} C++ blocks compiled in one unit in {elapsed:.1f} s, "
          f"{len(skipped)} fragments skipped")
    return len(compiled), len(skipped), failures


def run_command(command, lpc, work):
    scratch = work / "run"
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    shutil.copytree(work / "schemas", scratch / "schemas")
    tool = scratch / "build" / "default" / "codegen"
    tool.mkdir(parents=True)
    (tool / "lpc").symlink_to(pathlib.Path(lpc).resolve())
    env = dict(os.environ, PATH=f"{tool}:{os.environ.get('PATH', '')}", NO_COLOR="1")
    run = subprocess.run(["bash", "-c", command], cwd=scratch, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return run.stdout


def normalised(text):
    return "\n".join(l.rstrip() for l in text.strip("\n").split("\n"))


def check_outputs(lpc, source, work):
    schema_files(source, work)
    failures, checked, above = [], 0, None
    for block in all_blocks(source):
        if "output of" in block.markers:
            command = block.markers["output of"]
            if command == "the block above":
                command = "\n".join(above.body) if above else "false"
            expected = [(command, "\n".join(block.body))]
        elif "session" in block.markers:
            expected = []
            for l in block.body:
                if l.startswith("$ "):
                    expected.append((l[2:], ""))
                elif expected:
                    expected[-1] = (expected[-1][0], expected[-1][1] + l + "\n")
            # Commands of a session share the scratch folder: run them as one script, each
            # output compared in turn.
            commands = [c for c, _ in expected]
            expected = [("\n".join(commands), "".join(o for _, o in expected))]
        else:
            above = block
            continue
        above = block
        for command, text in expected:
            checked += 1
            got = run_command(command, lpc, work)
            if normalised(got) != normalised(text):
                failures.append(f"{block.where(source)}: `{command}` prints\n{got}\n"
                                f"and the page says\n{text}")
    return checked, 0, failures


def main():
    mode, lpc, source, work = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]), \
        pathlib.Path(sys.argv[4])
    work.mkdir(parents=True, exist_ok=True)
    if mode == "schemas":
        checked, skipped, failures = check_schemas(lpc, source, work)
        what = "schema blocks checked"
    elif mode == "cpp":
        checked, skipped, failures = check_cpp(lpc, source, work, sys.argv[5], sys.argv[6])
        what = "C++ blocks compiled"
    elif mode == "outputs":
        checked, skipped, failures = check_outputs(lpc, source, work)
        what = "outputs compared"
    else:
        print(f"unknown mode '{mode}' (schemas, cpp, outputs)", file=sys.stderr)
        return 2
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{checked} {what}, {len(failures)} failed")
    if checked == 0:
        print("nothing found to check: the extraction is broken", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
