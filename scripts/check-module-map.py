#!/usr/bin/env python3
"""Checks that README.md's module map ("How it is built") matches Package.swift: every
library, executable and system-library target is named there, every name there that looks
like a module is a target, and every folder of Sources/HavenVault is shown. Exits 1 with
what differs, so the map a newcomer reads cannot drift from the build."""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
package = open(os.path.join(root, "Package.swift"), encoding="utf-8").read()
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()

targets = set(re.findall(r'\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"', package))
section = readme.split("## How it is built", 1)
if len(section) < 2 or "```" not in section[1]:
    sys.exit("check-module-map: README.md has no module map under '## How it is built'")
block = section[1].split("```", 2)[1]

problems = []
for t in sorted(targets):
    if not re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", block):
        problems.append(f"target {t} (Package.swift) is not in the README's module map")
# Names in the map that look like modules of this package must be targets of it.
for name in sorted(set(re.findall(r"\b(C?Haven[A-Z]\w*|CSodium|CSQLite)\b", block))):
    if name not in targets:
        problems.append(f"the README's module map names {name}, which Package.swift does not define")
vault = os.path.join(root, "Sources", "HavenVault")
for folder in sorted(os.listdir(vault)):
    if os.path.isdir(os.path.join(vault, folder)) and not re.search(r"(?<![\w])" + re.escape(folder) + "/", block):
        problems.append(f"Sources/HavenVault/{folder}/ is not in the README's module map")

for p in problems:
    print("check-module-map: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
