#!/usr/bin/env python3
"""Fails when a module imports a module its target does not declare in Package.swift.

SwiftPM lets a target import anything it can see, and it sees every module built before it:
a target that imports what another target declares builds today and breaks the day that
other target drops the dependency, and the module graph in Package.swift stops saying
what depends on what (the CLI that must never link the vault, the server that must never
reach the store). So every `import X` in Sources/<target> and Tests/<target> (also
`@testable import`, `@_spi(...) import`, `import struct X.Y`, `public import`) must name a
dependency of that target: a target by name, or a product by `.product(name:package:)`.
The toolchain's own modules (Foundation, Glibc, Testing, ...) are always allowed.

Usage: scripts/check-imports.py [package directory]; exit status 1 lists each violation.
"""
import os
import re
import sys

# Modules of the toolchain and the platform, which no target declares.
SYSTEM_MODULES = {
    "Swift", "_Concurrency", "_StringProcessing", "_Volatile", "RegexBuilder", "Observation", "Distributed",
    "Synchronization", "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking",
    "FoundationXML", "Dispatch", "Glibc", "Musl", "Android", "Darwin", "XCTest", "Testing",
}

# Imports not declared yet, each with the change that removes it: (target, module, file).
# None today; an entry here is a debt with a name, not a way around the check.
KNOWN_EXCEPTIONS: set = set()

TARGET_KINDS = ("target", "executableTarget", "testTarget", "systemLibrary", "binaryTarget", "macro", "plugin")

IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*"                      # @testable, @_spi(Bench), @_exported, @preconcurrency
    r"(?:(?:public|package|internal|fileprivate|private)\s+)?"  # access-level imports
    r"import\s+"
    r"(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"  # import struct X.Y
    r"([A-Za-z_][A-Za-z0-9_]*)"
)


def balanced(text, start, open_char, close_char):
    """The text from `start` (an opening bracket) to its matching close, strings skipped."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == open_char:
            depth += 1
        elif c == close_char:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    raise ValueError("unbalanced %s in Package.swift" % open_char)


def split_top_level(text):
    """The comma-separated entries of a list's inside, at bracket depth 0."""
    entries, depth, current, in_string = [], 0, "", False
    for c in text:
        if c == '"':
            in_string = not in_string
        if not in_string:
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "," and depth == 0:
                entries.append(current.strip())
                current = ""
                continue
        current += c
    if current.strip():
        entries.append(current.strip())
    return entries


def read_package(path):
    """{target name: (kind, directory, set of declared module names)} from Package.swift."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"//[^\n]*", "", f.read())
    targets = {}
    parsed_to = 0
    for match in re.finditer(r"\.(%s)\(" % "|".join(TARGET_KINDS), text):
        if match.start() < parsed_to:
            continue  # `.target(name:)` as a dependency inside a target already read
        kind = match.group(1)
        body = balanced(text, match.end() - 1, "(", ")")
        parsed_to = match.end() - 1 + len(body)
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        custom = re.search(r'path:\s*"([^"]+)"', body)
        directory = custom.group(1) if custom else os.path.join("Tests" if kind == "testTarget" else "Sources", name)
        declared = set()
        deps = re.search(r"dependencies:\s*\[", body)
        if deps:
            inside = balanced(body, deps.end() - 1, "[", "]")[1:-1]
            for entry in split_top_level(inside):
                named = re.match(r'"([^"]+)"$', entry) or re.match(r'\.(?:product|target|byName)\(\s*name:\s*"([^"]+)"', entry)
                if not named:
                    raise ValueError("cannot read the dependency %r of %s" % (entry, name))
                declared.add(named.group(1))
        targets[name] = (kind, directory, declared)
    return targets


def code_lines(source):
    """The lines of a Swift file that start outside comments and string literals."""
    lines = []
    state = "code"  # or "block", "string", "multiline"
    depth = 0  # nesting of block comments
    hashes = ""  # the raw string's delimiter
    i, n = 0, len(source)
    line_start = True
    number = 1
    while i <= n:
        if line_start:
            end = source.find("\n", i)
            end = n if end < 0 else end
            if state == "code":
                lines.append((number, source[i:end]))
            line_start = False
        if i == n:
            break
        c = source[i]
        if c == "\n":
            if state == "string":
                state = "code"  # an unterminated single-line string ends with its line
            line_start = True
            number += 1
            i += 1
            continue
        if state == "code":
            if source.startswith("//", i):
                j = source.find("\n", i)
                i = n if j < 0 else j
                continue
            if source.startswith("/*", i):
                state, depth = "block", 1
                i += 2
                continue
            m = re.match(r'(#*)("""|")', source[i:i + 64])
            if m and (m.group(1) or c == '"'):
                hashes = m.group(1)
                state = "multiline" if m.group(2) == '"""' else "string"
                i += len(m.group(0))
                continue
            i += 1
        elif state == "block":
            if source.startswith("/*", i):
                depth += 1
                i += 2
            elif source.startswith("*/", i):
                depth -= 1
                i += 2
                if depth == 0:
                    state = "code"
            else:
                i += 1
        else:
            close = ('"""' if state == "multiline" else '"') + hashes
            if source.startswith("\\" + hashes, i) and not source.startswith("\\" + hashes + "(", i):
                i += len(hashes) + 2  # an escaped character
            elif source.startswith(close, i):
                state = "code"
                i += len(close)
            else:
                i += 1
    return lines


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    targets = read_package(os.path.join(root, "Package.swift"))
    violations, used_exceptions = [], set()
    for name, (kind, directory, declared) in sorted(targets.items()):
        base = os.path.join(root, directory)
        if kind in ("systemLibrary", "binaryTarget") or not os.path.isdir(base):
            continue
        for folder, _, files in sorted(os.walk(base)):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(folder, file)
                relative = os.path.relpath(path, root)
                with open(path, encoding="utf-8") as f:
                    source = f.read()
                for number, line in code_lines(source):
                    m = IMPORT.match(line)
                    if not m:
                        continue
                    module = m.group(1)
                    if module in SYSTEM_MODULES or module in declared or module == name:
                        continue
                    if (name, module, relative) in KNOWN_EXCEPTIONS:
                        used_exceptions.add((name, module, relative))
                        continue
                    violations.append("%s:%d: %s imports %s, which its target does not declare in Package.swift"
                                      % (relative, number, name, module))
    for name, module, relative in sorted(KNOWN_EXCEPTIONS - used_exceptions):
        print("check-imports: note: the exception for %s importing %s in %s is no longer needed; remove it"
              % (name, module, relative), file=sys.stderr)
    if violations:
        print("\n".join(violations), file=sys.stderr)
        print("check-imports: %d import(s) of undeclared modules: declare each in the target's dependencies, "
              "or move the code to a target that has it" % len(violations), file=sys.stderr)
        return 1
    print("check-imports: every import of %d targets is declared" % len(targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
