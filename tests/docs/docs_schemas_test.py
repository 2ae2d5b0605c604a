#!/usr/bin/env python3
"""Docs cannot drift from lpc: every schema block of README.md and docs/**/*.md is
checked with `lpc --check -I schemas`.

A schema block is a fenced block without a language tag whose first line that is
not a `//` comment starts a declaration (package, import, endian, bitorder,
const, enum, flags, struct). A block without `package` gets `package docs;`, one
without `endian` gets `endian big;`. A block that is a fragment (`...` elisions,
types declared elsewhere) is marked on the line before its fence with
`<!-- docs-test: fragment -->` and skipped (docs/contributing.md, "Docs").

    docs_schemas_test.py LPC SOURCE_DIR WORK_DIR
"""
import pathlib
import subprocess
import sys

STARTS = {"package", "import", "endian", "bitorder", "const", "enum", "flags", "struct"}
FRAGMENT = "<!-- docs-test: fragment -->"


def schema_blocks(path):
    """(line of the opening fence, text) of each schema block not marked fragment."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```":
            if lines[i].startswith("```"):  # a tagged block: skip to its end
                i += 1
                while i < len(lines) and not lines[i].startswith("```"):
                    i += 1
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        body = lines[i + 1:end]
        code = [l for l in body if l.strip() and not l.strip().startswith("//")]
        marked = i > 0 and lines[i - 1].strip() == FRAGMENT
        if code and code[0].split()[0].rstrip(";") in STARTS and not marked:
            yield i + 1, "\n".join(body) + "\n"
        i = end + 1


def main():
    lpc, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    pages = [source / "README.md"] + sorted((source / "docs").rglob("*.md"))
    checked, failures = 0, []
    for page in pages:
        for line, text in schema_blocks(page):
            if not any(l.startswith("package ") for l in text.split("\n")):
                text = "package docs;\n" + text
            lines = text.split("\n")
            if not any(l.startswith("endian ") for l in lines):
                # After the package and imports (file options follow them).
                at = next((k for k, l in enumerate(lines)
                           if l.split() and l.split()[0] not in ("package", "import")
                           and not l.startswith("//")), len(lines))
                text = "\n".join(lines[:at] + ["endian big;"] + lines[at:])
            name = f"{page.relative_to(source).as_posix().replace('/', '_')}_{line}.lps"
            schema = work / name
            schema.write_text(text, encoding="utf-8")
            run = subprocess.run([lpc, "--check", "--color", "never", "-I",
                                  str(source / "schemas"), str(schema)],
                                 capture_output=True, text=True)
            checked += 1
            if run.returncode != 0:
                failures.append(f"{page.relative_to(source)}:{line}: the schema block does not "
                                f"pass lpc --check (mark a fragment with {FRAGMENT}):\n"
                                f"{run.stderr}")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{checked} schema blocks checked, {len(failures)} failed")
    if checked == 0:
        print("no schema block found: the extraction is broken", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
